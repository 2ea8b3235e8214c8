import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MigrationLockTimeoutError } from '../errors/migration-lock-timeout-error.js';
import { freshDatabase, tableNames } from '../test-support/database-helpers.js';
import { resolveBookkeepingTable } from './bookkeeping-table.js';
import type { MigrationProgressEvent } from './migration-result.js';
import { createMigrator } from './migrator.js';

async function holdLock(url: string, table = resolveBookkeepingTable()): Promise<{ pid: number; release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('select pg_advisory_lock($1::bigint)', [table.lockKey]);
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  return { pid: rows[0]!.pid, release: async () => await client.end() };
}

describe('the migration lock', () => {
  it('is taken before the bookkeeping table is created: a waiting run creates nothing and reports the holder pid', async () => {
    const database = await freshDatabase();
    const holder = await holdLock(database.ownerUrl);
    const events: MigrationProgressEvent[] = [];
    const migrator = createMigrator({
      connectionString: database.ownerUrl,
      source: [{ name: '001_a', up: 'create table a (id int)' }],
      lockTimeoutMillis: 400,
      onProgress: (event) => events.push(event),
    });
    try {
      const started = performance.now();
      const result = await migrator.up();
      expect(performance.now() - started).toBeGreaterThanOrEqual(350);
      expect(result.error).toBeInstanceOf(MigrationLockTimeoutError);
      expect(result.error).toMatchObject({ holderPid: holder.pid, timeoutMillis: 400 });
      expect(result.error!.message).toBe(
        `Timed out after 400 ms waiting for the migration lock, held by PostgreSQL backend pid ${holder.pid}. Another migration run is in progress (or stuck: inspect pg_stat_activity).`,
      );
      expect(events[0]).toEqual({ type: 'lock_waiting', holderPid: holder.pid, waitedMillis: 0, timeoutMillis: 400 });
      expect(await tableNames(database.ownerUrl)).toEqual([]);
    } finally {
      await holder.release();
      await migrator.close();
    }
  });

  it('is waited for with progress events, granted as soon as it is released, and the work is then found done', async () => {
    const database = await freshDatabase();
    const source = [{ name: '001_a', up: 'create table a (id int)' }];
    const holder = await holdLock(database.ownerUrl);
    const events: MigrationProgressEvent[] = [];
    const waiting = createMigrator({ connectionString: database.ownerUrl, source, lockProgressIntervalMillis: 100, onProgress: (event) => events.push(event) });
    const first = createMigrator({ connectionString: database.ownerUrl, source });
    try {
      const pendingRun = waiting.up();
      await new Promise((resolve) => setTimeout(resolve, 450));
      // The holder finishes the work, then releases: the waiting run must then do nothing.
      await holder.release();
      const [firstResult, waitedResult] = await Promise.all([first.up(), pendingRun]);
      const applied = [firstResult, waitedResult].flatMap((result) => result.migrations.map((migration) => migration.name));
      expect(applied).toEqual(['001_a']);
      expect(waitedResult.success).toBe(true);
      expect(waitedResult.lockWaitMillis).toBeGreaterThanOrEqual(400);
      const waits = events.filter((event) => event.type === 'lock_waiting');
      expect(waits.length).toBeGreaterThanOrEqual(3);
      expect(waits.every((event) => event.holderPid === holder.pid)).toBe(true);
      expect(events.some((event) => event.type === 'lock_acquired')).toBe(true);
    } finally {
      await waiting.close();
      await first.close();
    }
  });

  it('is released after a run, also a failed one, and the connection goes back to a caller pool clean', async () => {
    const database = await freshDatabase();
    const pool = new pg.Pool({ connectionString: database.ownerUrl, max: 1 });
    const migrator = createMigrator({ pool, source: [{ name: '001_bad', up: 'select 1/0' }], lockTimeoutMillis: 0 });
    try {
      expect((await migrator.up()).error?.name).toBe('MigrationExecutionError');
      const { rows } = await pool.query<{ locks: number }>("select count(*)::int as locks from pg_locks where locktype = 'advisory'");
      expect(rows[0]!.locks).toBe(0);
      expect((await migrator.up()).error?.name).toBe('MigrationExecutionError');
    } finally {
      await migrator.close();
      await pool.end();
    }
  });
});

describe('the dedicated connection', () => {
  it('goes back to a caller pool without the session settings migrations changed', async () => {
    const database = await freshDatabase();
    const pool = new pg.Pool({ connectionString: database.ownerUrl, max: 1 });
    const migrator = createMigrator({ pool, source: [{ name: '001_settings', up: "set search_path = pg_catalog; set statement_timeout = '1s';" }] });
    try {
      expect((await migrator.up()).success).toBe(true);
      const { rows } = await pool.query<{ search_path: string; statement_timeout: string }>('select current_setting($1) as search_path, current_setting($2) as statement_timeout', [
        'search_path',
        'statement_timeout',
      ]);
      expect(rows[0]).toEqual({ search_path: '"$user", public', statement_timeout: '0' });
    } finally {
      await migrator.close();
      await pool.end();
    }
  });
});
