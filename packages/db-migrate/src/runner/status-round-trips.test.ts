import { escapeIdentifier } from 'pg';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase, queryRows } from '../test-support/database-helpers.js';
import { resolveBookkeepingTable } from './bookkeeping-table.js';
import { createMigrator } from './migrator.js';
import type { ProgrammaticMigration } from '../sources/programmatic-source.js';

/** A pool whose clients count every query they send (each query is one round trip). */
function countingPool(connectionString: string): { pool: pg.Pool; queries: string[] } {
  const pool = new pg.Pool({ connectionString, max: 2 });
  const queries: string[] = [];
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      queries.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
      return original(...args);
    };
  });
  return { pool, queries };
}

function migrations(count: number): ProgrammaticMigration[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `${String(index + 1).padStart(4, '0')}_table`,
    up: `create table ${escapeIdentifier(`t${index + 1}`)} (id int);`,
  }));
}

describe('getStatus round trips', () => {
  it('are constant: one query whether 3 or 300 migrations are applied, changed or not, none per migration', async () => {
    const counts: Record<string, number> = {};
    for (const count of [3, 300]) {
      const database = await freshDatabase();
      const { pool, queries } = countingPool(database.ownerUrl);
      const migrator = createMigrator({ pool, source: migrations(count) });
      try {
        queries.length = 0;
        expect((await migrator.getStatus()).state).toBe('uninitialized');
        counts[`uninitialized ${count}`] = queries.length;
        expect((await migrator.up()).success).toBe(true);
        queries.length = 0;
        const status = await migrator.getStatus();
        expect(status.state).toBe('up_to_date');
        expect(status.applied).toHaveLength(count);
        counts[`up_to_date ${count}`] = queries.length;
        // Steady state: the server sends a fingerprint of the rows; unchanged, so no rows travel.
        queries.length = 0;
        expect((await migrator.getStatus()).applied).toHaveLength(count);
        counts[`again ${count}`] = queries.length;
        // Another process applied a migration: the fingerprint differs, so the same query sends the rows.
        await queryRows(database.ownerUrl, `insert into strata_migrations (name, checksum) values ('9999_elsewhere', null)`);
        queries.length = 0;
        expect(await migrator.getStatus()).toMatchObject({ state: 'ahead', missing: ['9999_elsewhere'] });
        counts[`changed ${count}`] = queries.length;
      } finally {
        await migrator.close();
        await pool.end();
      }
    }
    const expected = { uninitialized: 1, up_to_date: 1, again: 1, changed: 1 };
    expect(counts).toEqual(Object.fromEntries([3, 300].flatMap((count) => Object.entries(expected).map(([key, value]) => [`${key} ${count}`, value]))));
  });

  it('takes no lock: it answers while another run holds the migration lock', async () => {
    const database = await freshDatabase();
    const holder = new pg.Client({ connectionString: database.ownerUrl });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1::bigint)', [resolveBookkeepingTable().lockKey]);
      const migrator = createMigrator({ connectionString: database.ownerUrl, source: migrations(2), lockTimeoutMillis: 0 });
      try {
        expect((await migrator.getStatus()).state).toBe('uninitialized');
        expect((await migrator.up()).error?.name).toBe('MigrationLockTimeoutError');
      } finally {
        await migrator.close();
      }
    } finally {
      await holder.end();
    }
  });

  it('reports no_database for a database that does not exist', async () => {
    const database = await freshDatabase();
    const url = new URL(database.adminUrl);
    url.pathname = `/${database.name}_missing`;
    const migrator = createMigrator({ connectionString: url.toString(), source: migrations(2) });
    try {
      expect(await migrator.getStatus()).toEqual({
        state: 'no_database',
        applied: [],
        pending: ['0001_table', '0002_table'],
        outOfOrder: [],
        drifted: [],
        missing: [],
      });
    } finally {
      await migrator.close();
    }
  });
});
