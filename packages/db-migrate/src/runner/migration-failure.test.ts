import { describe, expect, it } from 'vitest';
import { MigrationExecutionError } from '../errors/migration-execution-error.js';
import { freshDatabase, queryRows, tableNames } from '../test-support/database-helpers.js';
import { writeMigrationDirectory } from '../test-support/migration-directory.js';
import { createMigrator } from './migrator.js';

describe('a migration failing half-way', () => {
  it('leaves no partial schema, keeps earlier migrations, and names the file, line, column and statement', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory({
      '0001_users.sql': 'create table users (id bigint primary key);\n',
      '0002_orders.sql': [
        'create table orders (id bigint primary key);',
        'create index orders_id on orders (id);',
        'insert into orders values (1);',
        'alter table orders',
        '  add column total numeric references no_such_table;',
        'create table never_created (id int);',
      ].join('\n'),
      '0003_after.sql': 'create table after_failure (id int);\n',
    });
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: directory });
    try {
      const result = await migrator.up();
      expect(result.success).toBe(false);
      expect(result.migrations.map((migration) => [migration.name, migration.status])).toEqual([
        ['0001_users', 'applied'],
        ['0002_orders', 'failed'],
      ]);
      const error = result.error as MigrationExecutionError;
      expect(error).toBeInstanceOf(MigrationExecutionError);
      expect(error).toMatchObject({ migration: '0002_orders', direction: 'up', sqlState: '42P01', file: `${directory}/0002_orders.sql` });
      // PostgreSQL reports no position for errors raised while executing DDL; the runner
      // finds the statement by replaying the file statement by statement in a rolled-back transaction.
      expect(error.location).toEqual({
        line: 4,
        column: 1,
        statement: 'alter table orders add column total numeric references no_such_table',
      });
      expect(error.message).toContain(`Migration 0002_orders (up) failed at ${directory}/0002_orders.sql:4:1: relation "no_such_table" does not exist`);
      expect(error.message).toContain('in statement: alter table orders add column total numeric references no_such_table');
      // Nothing of 0002 survived (no table, no index, no row, no bookkeeping row); 0001 stays.
      expect(await tableNames(database.ownerUrl)).toEqual(['strata_migrations', 'users']);
      expect(await queryRows(database.ownerUrl, "select relname from pg_class where relname like 'orders%'")).toEqual([]);
      expect(await migrator.getStatus()).toMatchObject({ state: 'pending', pending: ['0002_orders', '0003_after'] });
    } finally {
      await migrator.close();
    }
  });

  it('names the statement of runtime errors, with their detail, and rolls back function migrations', async () => {
    const database = await freshDatabase();
    const migrator = createMigrator({
      connectionString: database.ownerUrl,
      source: [
        { name: '01_table', up: 'create table t (id int primary key);\ninsert into t values (1);' },
        { name: '02_duplicate', up: 'insert into t values (2);\ninsert into t values (1);' },
      ],
    });
    try {
      const result = await migrator.up();
      const error = result.error as MigrationExecutionError;
      expect(error).toMatchObject({ migration: '02_duplicate', sqlState: '23505', location: { line: 2, column: 1, statement: 'insert into t values (1)' } });
      expect(error.message).toMatch(
        /02_duplicate:2:1: duplicate key value violates unique constraint "t_pkey"\n {2}in statement: insert into t values \(1\)\n {2}detail: Key \(id\)=\(1\) already exists/,
      );
      expect(await queryRows(database.ownerUrl, 'select id from t')).toEqual([{ id: 1 }]);
    } finally {
      await migrator.close();
    }
    const functional = createMigrator({
      connectionString: database.ownerUrl,
      table: 'function_history',
      source: [
        {
          name: 'fails_after_insert',
          up: async (db) => {
            await db.insertInto('t').values({ id: 3 }).execute();
            throw new Error('boom after insert');
          },
        },
      ],
    });
    try {
      const result = await functional.up();
      expect(result.error).toBeInstanceOf(MigrationExecutionError);
      expect(result.error!.message).toMatch(/Migration fails_after_insert \(up\) failed at fails_after_insert: boom after insert/);
      expect(await queryRows(database.ownerUrl, 'select id from t order by id')).toEqual([{ id: 1 }]);
      expect(await queryRows(database.ownerUrl, 'select count(*)::int as count from function_history')).toEqual([{ count: 0 }]);
    } finally {
      await functional.close();
    }
  });

  it('reports the exact position PostgreSQL gives for errors found while parsing', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory({ '0001_typo.sql': '-- a comment\ncreate table a (id int);\nselect id\n  from a\n  whre id = 1;\n' });
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: directory });
    try {
      const error = (await migrator.up()).error as MigrationExecutionError;
      expect(error.sqlState).toBe('42601');
      expect(error.location).toEqual({ line: 5, column: 8, statement: 'select id from a whre id = 1' });
      expect(error.message).toContain(`${directory}/0001_typo.sql:5:8: syntax error at or near "id"`);
      expect(await tableNames(database.ownerUrl)).toEqual(['strata_migrations']);
    } finally {
      await migrator.close();
    }
  });

  it('refuses db.transaction() inside a migration that already runs in one', async () => {
    const database = await freshDatabase();
    const migrator = createMigrator({
      connectionString: database.ownerUrl,
      source: [{ name: 'nested', up: async (db) => await db.transaction().execute(async () => undefined) }],
    });
    try {
      const result = await migrator.up();
      expect(result.error!.message).toMatch(/db\.transaction\(\) is not available/);
      expect((await migrator.getStatus()).pending).toEqual(['nested']);
    } finally {
      await migrator.close();
    }
  });
});
