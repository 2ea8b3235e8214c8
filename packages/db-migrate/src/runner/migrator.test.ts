import { describe, expect, it } from 'vitest';
import { MigrationIrreversibleError } from '../errors/migration-irreversible-error.js';
import { MigrationTargetError } from '../errors/migration-target-error.js';
import { freshDatabase, queryRows, tableNames } from '../test-support/database-helpers.js';
import { writeMigrationDirectory } from '../test-support/migration-directory.js';
import type { MigrationProgressEvent } from './migration-result.js';
import { createMigrator } from './migrator.js';

const files = {
  '0001_users.sql': 'create table users (id bigint primary key, email text not null);\n-- strata:down\ndrop table users;\n',
  '0002_posts.sql': 'create table posts (id bigint primary key, user_id bigint references users);\n',
  '0002_posts.down.sql': 'drop table posts;\n',
  '0003_seed.ts': `import type { Kysely } from 'kysely';
export async function up(db: Kysely<any>): Promise<void> {
  await db.insertInto('users').values({ id: 1, email: 'ada@example.com' }).execute();
}
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('users').execute();
}
`,
};

describe('migrator', () => {
  it('applies pending migrations in order with a bookkeeping row each, then has nothing to do', async () => {
    const database = await freshDatabase();
    const events: MigrationProgressEvent[] = [];
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: writeMigrationDirectory(files), onProgress: (event) => events.push(event) });
    try {
      const first = await migrator.up();
      expect(first).toMatchObject({ command: 'up', success: true, dryRun: false, error: undefined });
      expect(first.migrations.map((migration) => [migration.name, migration.status])).toEqual([
        ['0001_users', 'applied'],
        ['0002_posts', 'applied'],
        ['0003_seed', 'applied'],
      ]);
      expect(events.map((event) => event.type)).toEqual([
        'lock_acquired',
        ...['0001_users', '0002_posts', '0003_seed'].flatMap(() => ['migration_started', 'migration_finished']),
      ]);
      const rows = await queryRows<{ name: string; checksum: string; method: string; execution_time_ms: number; applied_by: string }>(
        database.ownerUrl,
        'select name, checksum, method, execution_time_ms, applied_by from strata_migrations order by id',
      );
      expect(rows.map((row) => [row.name, row.method, row.applied_by])).toEqual([
        ['0001_users', 'run', database.ownerRole],
        ['0002_posts', 'run', database.ownerRole],
        ['0003_seed', 'run', database.ownerRole],
      ]);
      expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.checksum) && row.execution_time_ms >= 0)).toBe(true);
      expect(await queryRows(database.ownerUrl, 'select email from users')).toEqual([{ email: 'ada@example.com' }]);

      const second = await migrator.up();
      expect(second.success).toBe(true);
      expect(second.migrations).toEqual([]);
      expect((await migrator.getStatus()).state).toBe('up_to_date');
    } finally {
      await migrator.close();
    }
  });

  it('applies up to a named migration, and reverts by steps and to a name, newest first', async () => {
    const database = await freshDatabase();
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: writeMigrationDirectory(files) });
    try {
      expect((await migrator.up({ to: '0002_posts' })).migrations.map((migration) => migration.name)).toEqual(['0001_users', '0002_posts']);
      expect(await migrator.getStatus()).toMatchObject({ state: 'pending', pending: ['0003_seed'] });
      await migrator.up();
      const oneStep = await migrator.down();
      expect(oneStep.migrations.map((migration) => [migration.name, migration.status])).toEqual([['0003_seed', 'reverted']]);
      expect(await queryRows(database.ownerUrl, 'select * from users')).toEqual([]);
      const toFirst = await migrator.down({ to: '0001_users' });
      expect(toFirst.migrations.map((migration) => migration.name)).toEqual(['0002_posts']);
      expect(await tableNames(database.ownerUrl)).toEqual(['strata_migrations', 'users']);
      await migrator.down({ steps: 1 });
      expect(await tableNames(database.ownerUrl)).toEqual(['strata_migrations']);
      expect(await migrator.getStatus()).toMatchObject({ state: 'pending', applied: [], pending: ['0001_users', '0002_posts', '0003_seed'] });
    } finally {
      await migrator.close();
    }
  });

  it('stops a rollback before reverting anything when a migration has no down step', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory({
      '0001_a.sql': 'create table a (id int);\n-- strata:down\ndrop table a;',
      '0002_b.sql': 'create table b (id int);',
      '0003_c.sql': 'create table c (id int);\n-- strata:down\ndrop table c;',
    });
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: directory });
    try {
      await migrator.up();
      const result = await migrator.down({ steps: 3 });
      expect(result.success).toBe(false);
      expect(result.error).toBeInstanceOf(MigrationIrreversibleError);
      expect(result.error!.message).toMatch(/Migration 0002_b has no down step/);
      expect(result.migrations).toEqual([]);
      expect(await tableNames(database.ownerUrl)).toEqual(['a', 'b', 'c', 'strata_migrations']);
    } finally {
      await migrator.close();
    }
  });

  it('dry runs print the plan with SQL and change nothing, not even the bookkeeping table', async () => {
    const database = await freshDatabase();
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: writeMigrationDirectory(files) });
    try {
      const plan = await migrator.up({ dryRun: true });
      expect(plan).toMatchObject({ success: true, dryRun: true });
      expect(plan.migrations.map((migration) => [migration.name, migration.status, migration.sql])).toEqual([
        ['0001_users', 'planned', 'create table users (id bigint primary key, email text not null);\n'],
        ['0002_posts', 'planned', 'create table posts (id bigint primary key, user_id bigint references users);\n'],
        ['0003_seed', 'planned', undefined],
      ]);
      expect(await tableNames(database.ownerUrl)).toEqual([]);
      await migrator.up();
      const downPlan = await migrator.down({ steps: 2, dryRun: true });
      expect(downPlan.migrations.map((migration) => [migration.name, migration.direction, migration.sql?.trim()])).toEqual([
        ['0003_seed', 'down', undefined],
        ['0002_posts', 'down', 'drop table posts;'],
      ]);
      expect((await migrator.getStatus()).state).toBe('up_to_date');
    } finally {
      await migrator.close();
    }
  });

  it('baselines an existing schema without running the migrations', async () => {
    const database = await freshDatabase();
    await queryRows(database.ownerUrl, 'create table users (id bigint primary key, email text not null)');
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: writeMigrationDirectory(files) });
    try {
      const dry = await migrator.baseline('0002_posts', { dryRun: true });
      expect(dry.migrations.map((migration) => migration.status)).toEqual(['planned', 'planned']);
      expect(await tableNames(database.ownerUrl)).toEqual(['users']);
      const result = await migrator.baseline('0001_users');
      expect(result.migrations.map((migration) => [migration.name, migration.status])).toEqual([['0001_users', 'baselined']]);
      const status = await migrator.getStatus();
      expect(status).toMatchObject({ state: 'pending', pending: ['0002_posts', '0003_seed'] });
      expect(status.applied[0]).toMatchObject({ name: '0001_users', method: 'baseline', executionTimeMillis: 0 });
      expect(status.applied[0]!.appliedAt).toBeInstanceOf(Date);
      expect(Math.abs(status.applied[0]!.appliedAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect((await migrator.up()).migrations.map((migration) => migration.name)).toEqual(['0002_posts', '0003_seed']);
      const unknown = await migrator.baseline('0009_nope');
      expect(unknown.error).toBeInstanceOf(MigrationTargetError);
    } finally {
      await migrator.close();
    }
  });

  it('uses a configurable schema and table, creating the schema under the lock', async () => {
    const database = await freshDatabase();
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: writeMigrationDirectory(files), schema: 'ops', table: 'schema_history' });
    try {
      expect((await migrator.getStatus()).state).toBe('uninitialized');
      expect((await migrator.up()).success).toBe(true);
      expect(migrator.tableName).toBe('ops.schema_history');
      expect(await tableNames(database.ownerUrl, 'ops')).toEqual(['schema_history']);
      expect((await migrator.getStatus()).state).toBe('up_to_date');
    } finally {
      await migrator.close();
    }
  });

  it('runs programmatic migrations, functions and SQL text, on the dedicated connection inside the transaction', async () => {
    const database = await freshDatabase();
    const migrator = createMigrator({
      connectionString: database.ownerUrl,
      source: [
        { name: '001_items', up: 'create table items (id int primary key, owner text)', down: 'drop table items' },
        {
          name: '002_fill',
          up: async (db) => {
            await db.insertInto('items').values({ id: 1, owner: 'x' }).execute();
            // Same transaction: the row and a bookkeeping row commit together.
            const { rows } = await (await import('kysely')).sql<{ in_transaction: boolean }>`select now() = statement_timestamp() as in_transaction`.execute(db);
            expect(rows[0]!.in_transaction).toBe(false);
          },
          down: async (db) => {
            await db.deleteFrom('items').execute();
          },
        },
      ],
    });
    try {
      expect((await migrator.up()).success).toBe(true);
      expect(await queryRows(database.ownerUrl, 'select id from items')).toEqual([{ id: 1 }]);
      expect((await migrator.down({ steps: 2 })).success).toBe(true);
    } finally {
      await migrator.close();
    }
  });
});
