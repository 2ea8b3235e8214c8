import { randomBytes } from 'node:crypto';
import { escapeIdentifier } from 'pg';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { MigrationConnectionError } from '../errors/migration-connection-error.js';
import { queryRows, tableNames } from '../test-support/database-helpers.js';
import { sync } from './database-sync.js';

/** A URL to a database that does not exist yet (named so the harness cleans it up after a crash). */
function missingDatabaseUrl(): string {
  const name = `strata_t_${inject('strataRunId')}_sync_${randomBytes(4).toString('hex')}`;
  const url = new URL(inject('strataAdminUrl'));
  url.pathname = `/${name}`;
  onTestFinished(async () => {
    await queryRows(inject('strataAdminUrl'), `drop database if exists ${escapeIdentifier(name)} with (force)`);
  });
  return url.toString();
}

const source = [
  { name: '001_users', up: 'create table users (id int primary key)' },
  { name: '002_posts', up: 'create table posts (id int primary key)' },
];

describe('sync', () => {
  it('creates a missing database, migrates it, then reports already up to date, then upgraded', async () => {
    const url = missingDatabaseUrl();
    const created = await sync({ connectionString: url, source: source.slice(0, 1) });
    expect(created).toMatchObject({ success: true, outcome: 'created', databaseCreated: true, error: undefined });
    expect(await tableNames(url)).toEqual(['strata_migrations', 'users']);
    expect(await sync({ connectionString: url, source: source.slice(0, 1) })).toMatchObject({ outcome: 'already_up_to_date', databaseCreated: false });
    const upgraded = await sync({ connectionString: url, source });
    expect(upgraded.outcome).toBe('upgraded');
    expect(upgraded.run?.migrations.map((migration) => migration.name)).toEqual(['002_posts']);
  });

  it('is safe when several processes create the same database at once: one creates, all succeed', async () => {
    const url = missingDatabaseUrl();
    const results = await Promise.all(Array.from({ length: 4 }, () => sync({ connectionString: url, source })));
    expect(results.every((result) => result.success)).toBe(true);
    expect(results.filter((result) => result.databaseCreated)).toHaveLength(1);
    const applied = results.flatMap((result) => result.run?.migrations.map((migration) => migration.name) ?? []);
    expect(applied.sort()).toEqual(['001_users', '002_posts']);
  });

  it('reports an unreachable server as a failed outcome with a typed error', async () => {
    const result = await sync({ connectionString: 'postgres://u:secret-pass@127.0.0.1:1/app', source });
    expect(result).toMatchObject({ success: false, outcome: 'failed', databaseCreated: false });
    expect(result.error).toBeInstanceOf(MigrationConnectionError);
    expect(result.error!.message).not.toContain('secret-pass');
  });
});
