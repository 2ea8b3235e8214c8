import { describe, expect, it } from 'vitest';
import { freshDatabase, queryRows } from '../test-support/database-helpers.js';
import { writeMigrationDirectory } from '../test-support/migration-directory.js';
import { createMigrator } from './migrator.js';

describe('migrations that opt out of the transaction', () => {
  it('run CREATE INDEX CONCURRENTLY from a SQL file with -- strata:no-transaction, and revert it', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory({
      '0001_table.sql': 'create table events (id bigint primary key, kind text);\ninsert into events select n, n::text from generate_series(1, 1000) n;',
      '0002_index.sql': [
        '-- strata:no-transaction',
        'create index concurrently if not exists events_kind on events (kind);',
        '-- strata:down',
        'drop index concurrently if exists events_kind;',
      ].join('\n'),
    });
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: directory });
    try {
      const result = await migrator.up();
      expect(result.success).toBe(true);
      expect(result.migrations.map((migration) => [migration.name, migration.transaction])).toEqual([
        ['0001_table', true],
        ['0002_index', false],
      ]);
      const [index] = await queryRows<{ indisvalid: boolean }>(database.ownerUrl, "select indisvalid from pg_index where indexrelid = 'events_kind'::regclass");
      expect(index).toEqual({ indisvalid: true });
      expect((await migrator.down()).success).toBe(true);
      expect(await queryRows(database.ownerUrl, "select to_regclass('events_kind') as index")).toEqual([{ index: null }]);
    } finally {
      await migrator.close();
    }
  });

  it('runs a TypeScript module exporting transaction = false, which may manage its own transactions', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory({
      '0001_table.sql': 'create table events (id bigint primary key, kind text);',
      '0002_index.ts': `import { sql, type Kysely } from 'kysely';
export const transaction = false;
export async function up(db: Kysely<any>): Promise<void> {
  await sql\`create index concurrently events_kind on events (kind)\`.execute(db);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('events').values({ id: 1, kind: 'a' }).execute();
  });
}
`,
    });
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: directory });
    try {
      const result = await migrator.up();
      expect(result.error).toBeUndefined();
      expect(await queryRows(database.ownerUrl, "select count(*)::int as count from pg_index where indexrelid = 'events_kind'::regclass and indisvalid")).toEqual([
        { count: 1 },
      ]);
      expect(await queryRows(database.ownerUrl, 'select kind from events')).toEqual([{ kind: 'a' }]);
    } finally {
      await migrator.close();
    }
  });

  it('stops at the failing statement and reports it; earlier statements of the file stay (the documented consequence)', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory({
      '0001_steps.sql': '-- strata:no-transaction\ncreate table first_step (id int);\ncreate index concurrently on missing_table (id);\n',
    });
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: directory });
    try {
      const result = await migrator.up();
      expect(result.error).toMatchObject({ migration: '0001_steps', sqlState: '42P01', location: { line: 3, column: 1 } });
      expect(await queryRows(database.ownerUrl, "select to_regclass('first_step') is not null as exists")).toEqual([{ exists: true }]);
      expect((await migrator.getStatus()).pending).toEqual(['0001_steps']);
    } finally {
      await migrator.close();
    }
  });
});
