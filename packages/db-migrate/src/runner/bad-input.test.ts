import { ConfigurationError } from '@strata/db-core';
import { describe, expect, it } from 'vitest';
import { MigrationConnectionError } from '../errors/migration-connection-error.js';
import { MigrationSourceError } from '../errors/migration-source-error.js';
import { freshDatabase, tableNames } from '../test-support/database-helpers.js';
import { writeMigrationDirectory } from '../test-support/migration-directory.js';
import { createMigrator } from './migrator.js';

const unreachableUrl = 'postgres://someone:hunter2-secret@127.0.0.1:1/nowhere';

describe('bad input gets a clear typed error and changes nothing', () => {
  it('a missing directory: reported before connecting (even to an unreachable server)', async () => {
    const migrator = createMigrator({ connectionString: unreachableUrl, source: '/nonexistent/migrations' });
    const result = await migrator.up();
    expect(result.success).toBe(false);
    expect(result.error).toBeInstanceOf(MigrationSourceError);
    expect(result.error!.message).toBe('Migration directory /nonexistent/migrations does not exist.');
    await migrator.close();
  });

  it('a malformed file name or a module without up next to valid migrations: nothing is applied, no table is created', async () => {
    const database = await freshDatabase();
    for (const [badFile, content, message] of [
      ['create_users.sql', 'select 1;', /Malformed migration file name "create_users\.sql"/],
      ['0002_no_up.ts', 'export async function down() {}', /0002_no_up\.ts does not export an up\(db\) function/],
      ['0002_syntax.ts', 'export async function up(db) { db. }', /Could not load migration module .*0002_syntax\.ts/],
    ] as const) {
      const directory = writeMigrationDirectory({ '0001_users.sql': 'create table users (id int);', [badFile]: content });
      const migrator = createMigrator({ connectionString: database.ownerUrl, source: directory });
      const result = await migrator.up();
      await migrator.close();
      expect(result.error).toBeInstanceOf(MigrationSourceError);
      expect(result.error!.message).toMatch(message);
      expect(result.error!.file).toContain(directory);
      expect(result.migrations).toEqual([]);
      expect(await tableNames(database.ownerUrl)).toEqual([]);
    }
  });

  it('an unreachable server: a connection error naming the target without its password', async () => {
    const directory = writeMigrationDirectory({ '0001_users.sql': 'create table users (id int);' });
    const migrator = createMigrator({ connectionString: unreachableUrl, source: directory });
    try {
      const result = await migrator.up();
      expect(result.error).toBeInstanceOf(MigrationConnectionError);
      expect(result.error!.message).toMatch(/^Cannot connect to postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/);
      await expect(migrator.getStatus()).rejects.toBeInstanceOf(MigrationConnectionError);
      const everything = JSON.stringify([result, result.error!.toJSON(), String(result.error)]);
      expect(everything).not.toContain('hunter2');
    } finally {
      await migrator.close();
    }
  });

  it('refused credentials: a connection error, password not echoed, nothing changed', async () => {
    const database = await freshDatabase();
    const url = new URL(database.ownerUrl);
    // An unknown role fails on trust-auth servers too (a wrong password would not).
    url.username = 'no_such_role_for_strata';
    url.password = 'wrong-password-xyz';
    const migrator = createMigrator({ connectionString: url.toString(), source: writeMigrationDirectory({ '0001_a.sql': 'create table a (id int);' }) });
    try {
      const result = await migrator.up();
      expect(result.error).toBeInstanceOf(MigrationConnectionError);
      expect(result.error!.message).toMatch(/no_such_role_for_strata/);
      expect(result.error!.message).not.toContain('wrong-password-xyz');
      expect(await tableNames(database.ownerUrl)).toEqual([]);
    } finally {
      await migrator.close();
    }
  });

  it('invalid configuration throws ConfigurationError at once, without the password', () => {
    expect(() => createMigrator({ connectionString: 'mysql://user:topsecret@host/db', source: [] })).toThrow(ConfigurationError);
    expect(() => createMigrator({ connectionString: 'postgres://user:topsecret@host/db', source: [], table: 'bad-name; drop' })).toThrow(
      /Bookkeeping table name must be a plain identifier/,
    );
    expect(() => createMigrator({ source: [] })).toThrow(/exactly one of connectionString, pool or db/);
    expect(() => createMigrator({ connectionString: 'postgres://u:p@h/d', source: 42 as never })).toThrow(ConfigurationError);
    expect(() => createMigrator({ connectionString: 'postgres://user:topsecret@host:99999/db', source: [] })).toThrow(
      'Connection string is not a valid URL: postgres://user:***@host:99999/db',
    );
  });

  it('a bad target name or step count: typed error before connecting', async () => {
    const migrator = createMigrator({ connectionString: unreachableUrl, source: [{ name: '001_a', up: 'select 1' }] });
    expect((await migrator.up({ to: '999_missing' })).error!.message).toBe('No migration named 999_missing (up --to).');
    expect((await migrator.down({ steps: 0 })).error!.message).toMatch(/steps must be a positive integer/);
    expect((await migrator.down({ steps: 1, to: '001_a' })).error!.message).toMatch(/either steps or to/);
    await migrator.close();
  });
});

describe('a role that may not create the bookkeeping table', () => {
  it('gets a clear error naming the table, and nothing runs', async () => {
    const database = await freshDatabase();
    const migrator = createMigrator({ connectionString: database.appUrl, source: [{ name: '001_a', up: 'create table a (id int)' }], schema: 'ops' });
    try {
      const result = await migrator.up();
      expect(result.error!.message).toMatch(/^Cannot create or read the bookkeeping table ops\.strata_migrations: permission denied for database/);
      expect(result.error!.code).toBe('42501');
      expect(await tableNames(database.ownerUrl)).toEqual([]);
    } finally {
      await migrator.close();
    }
  });
});
