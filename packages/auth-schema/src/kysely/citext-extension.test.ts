import { useTestDatabase } from '@strata/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtensionUnavailableError } from '../errors/extension-unavailable-error.js';
import { adminQuery } from '../testing/test-schema-setup.js';
import { ensureCitextExtension } from './citext-extension.js';

const database = useTestDatabase();
const opened: Kysely<any>[] = [];
function connect(url: string): Kysely<any> {
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
  opened.push(db);
  return db;
}

beforeAll(async () => {
  // The harness template has citext; remove it to see the helper create it.
  await adminQuery(database, 'drop extension citext');
});

afterAll(async () => {
  await Promise.all(opened.map((db) => db.destroy()));
});

describe('ensureCitextExtension', () => {
  it('refuses with a typed error when the extension is missing and the role may not create it', async () => {
    await expect(ensureCitextExtension(connect(database.appUrl))).rejects.toBeInstanceOf(ExtensionUnavailableError);
  });

  it('creates it as the database owner (citext is a trusted extension), then finds it installed', async () => {
    expect(await ensureCitextExtension(connect(database.ownerUrl))).toEqual({ created: true });
    expect(await ensureCitextExtension(connect(database.appUrl))).toEqual({ created: false });
  });
});
