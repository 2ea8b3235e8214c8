import { randomUUID } from 'node:crypto';
import { sql, type Generated } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { firstOr404, getOr404, NotFoundError } from './index.js';

interface Database {
  widgets: { id: Generated<string>; slug: string };
}

const database = useTestDatabase();
let db: StrataDb<Database>;
let widgetId: string;

beforeAll(async () => {
  const owner = createDb({ connectionString: database.ownerUrl, max: 1 });
  await sql`create table widgets (id uuid primary key default gen_random_uuid(), slug text not null unique)`.execute(owner);
  await owner.close();
  db = createDb<Database>({ connectionString: database.appUrl, max: 1 });
  widgetId = (await db.insertInto('widgets').values({ slug: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
});

afterAll(async () => {
  await db?.close();
});

describe('getOr404 / firstOr404', () => {
  it('returns the row by primary key or by another column', async () => {
    expect(await getOr404(db, 'widgets', widgetId)).toEqual({ id: widgetId, slug: 'first' });
    expect((await getOr404(db, 'widgets', 'first', { column: 'slug' })).id).toBe(widgetId);
  });

  it('throws NotFoundError (404) for a missing row, and for a missing id without a query', async () => {
    await expect(getOr404(db, 'widgets', randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    await expect(getOr404(db, 'widgets', undefined, { message: 'No such widget' })).rejects.toMatchObject({ status: 404, message: 'No such widget' });
    await expect(getOr404(db, 'widgets', '')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('takes a query builder or a promise', async () => {
    expect(await firstOr404(db.selectFrom('widgets').select('slug').where('slug', '=', 'first'))).toEqual({ slug: 'first' });
    expect(await firstOr404(Promise.resolve(0))).toBe(0);
    await expect(firstOr404(db.selectFrom('widgets').selectAll().where('slug', '=', 'none'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(firstOr404(Promise.resolve(null))).rejects.toBeInstanceOf(NotFoundError);
  });
});
