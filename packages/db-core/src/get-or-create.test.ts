import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@strata/testkit';
import { createDb, type StrataDb } from './create-db.js';
import { getOrCreate, updateOrCreate } from './get-or-create.js';
import { ConfigurationError } from './index.js';

interface Database {
  tags: { id: number; name: string; color: string | null };
}

const database = useTestDatabase();
let db: StrataDb<Database>;

beforeAll(async () => {
  const owner = createDb<Database>({ connectionString: database.ownerUrl });
  await sql`create table tags (id serial primary key, name text not null unique, color text)`.execute(owner);
  await owner.close();
  db = createDb<Database>({ connectionString: database.appUrl, max: 10 });
});

afterAll(async () => {
  await db?.close();
});

describe('getOrCreate', () => {
  it('gives 50 concurrent callers the same single row, created exactly once', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => getOrCreate(db, 'tags', { where: { name: 'urgent' }, defaults: { color: 'red' } })),
    );
    expect(new Set(results.map((result) => result.row.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(results[0]!.row).toMatchObject({ name: 'urgent', color: 'red' });
    const { rows } = await sql<{ count: string }>`select count(*) from tags where name = 'urgent'`.execute(db);
    expect(rows[0]!.count).toBe('1');
  });

  it('returns the existing row without applying defaults', async () => {
    const result = await getOrCreate(db, 'tags', { where: { name: 'urgent' }, defaults: { color: 'blue' } });
    expect(result).toMatchObject({ created: false, row: { color: 'red' } });
  });

  it('refuses an empty where', async () => {
    await expect(getOrCreate(db, 'tags', { where: {} })).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('updateOrCreate', () => {
  it('inserts, then updates, telling which happened, also under concurrency', async () => {
    const first = await updateOrCreate(db, 'tags', { where: { name: 'theme' }, values: { color: 'dark' } });
    expect(first).toMatchObject({ created: true, row: { name: 'theme', color: 'dark' } });
    const second = await updateOrCreate(db, 'tags', { where: { name: 'theme' }, values: { color: 'light' } });
    expect(second).toMatchObject({ created: false, row: { id: first.row.id, color: 'light' } });
    expect(second.row).not.toHaveProperty('__strata_created');
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, (_unused, index) => updateOrCreate(db, 'tags', { where: { name: 'race' }, values: { color: `c${index}` } })),
    );
    expect(concurrent.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(concurrent.map((result) => result.row.id)).size).toBe(1);
  });
});
