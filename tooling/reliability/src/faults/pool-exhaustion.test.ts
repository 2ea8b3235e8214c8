import { randomUUID } from 'node:crypto';
import { createDb, executeForTenant, PoolTimeoutError, withTenant, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConcurrently } from '../load/concurrent-runner.js';
import { describeServer } from '../load/server-description.js';
import { scaled } from '../load/suite-scale.js';
import { recordSuiteResult } from '../report/suite-result.js';
import type { FaultDatabase } from './fault-database.js';

const database = useTestDatabase();
const poolSize = 3;
const connectionTimeoutMillis = 400;
const tenantId = randomUUID();
let db: StrataDb<FaultDatabase>;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: database.adminUrl });
  await admin.connect();
  await admin.query(`
    create table orders (id bigint generated always as identity primary key, tenant_id uuid not null, request_id uuid not null unique, amount int not null);
    grant select, insert on orders to ${pg.escapeIdentifier(database.appRole)};
  `);
  await admin.end();
  db = createDb<FaultDatabase>({ connectionString: database.directAppUrl, max: poolSize, connectionTimeoutMillis });
});

afterAll(async () => {
  await db?.close();
});

describe('pool exhaustion', () => {
  it('makes every waiter give up with PoolTimeoutError within the bound, then serves everyone again', async ({ task }) => {
    const started = performance.now();
    // Hold every connection in an open transaction until the gate opens.
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const holders = Array.from({ length: poolSize }, async () =>
      withTenant(db, tenantId, async (trx) => {
        await sql`select 1`.execute(trx);
        await gate;
      }),
    );
    while (db.poolStats().total < poolSize || db.poolStats().idle > 0) await new Promise((resolve) => setTimeout(resolve, 10));

    const waiters = scaled(200, 40);
    const waits: number[] = [];
    const untyped: string[] = [];
    await Promise.all(
      Array.from({ length: waiters }, async () => {
        const begun = performance.now();
        try {
          await executeForTenant(db, tenantId, db.selectFrom('orders').select('id').limit(1));
          untyped.push('a request got a connection while every connection was held');
        } catch (error) {
          if (!(error instanceof PoolTimeoutError)) untyped.push(String(error));
        }
        waits.push(performance.now() - begun);
      }),
    );
    const longestWait = Math.max(...waits);
    const shortestWait = Math.min(...waits);
    const waitingAfter = db.poolStats().waiting;
    openGate();
    await Promise.all(holders);

    // Oversubscribed load with slow statements: some waits time out, none exceeds the bound.
    const operations = scaled(1_000, 300);
    let timedOut = 0;
    let slowest = 0;
    await runConcurrently({ total: operations, concurrency: 96 }, async () => {
      const begun = performance.now();
      try {
        await executeForTenant(db, tenantId, sql<{ slept: string }>`select pg_sleep(0.03)::text as slept`.compile(db));
      } catch (error) {
        if (error instanceof PoolTimeoutError) timedOut += 1;
        else untyped.push(String(error));
      }
      slowest = Math.max(slowest, performance.now() - begun);
    });
    const served = await Promise.all(
      Array.from({ length: 50 }, async () => await executeForTenant(db, tenantId, db.selectFrom('orders').select('id').limit(1))),
    );

    const bound = connectionTimeoutMillis + 1_000;
    recordSuiteResult(task, {
      suite: 'Faults',
      scenario: `pool exhaustion (pool of ${poolSize}, connectionTimeoutMillis ${connectionTimeoutMillis})`,
      operations: waiters + operations + served.length,
      concurrency: Math.max(waiters, 96),
      faultsInjected: waiters + timedOut,
      rowsChecked: waits.length + operations + served.length,
      leaksFound: untyped.length + (longestWait > bound ? 1 : 0) + (slowest > bound ? 1 : 0) + waitingAfter,
      durationMillis: performance.now() - started,
      notes:
        `${waiters} waiters on a fully held pool all got PoolTimeoutError after ${Math.round(shortestWait)}–${Math.round(longestWait)} ms; ` +
        `oversubscribed load: ${timedOut} of ${operations} timed out, slowest request ${Math.round(slowest)} ms; all 50 served afterwards`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(untyped).toEqual([]);
    expect(shortestWait).toBeGreaterThanOrEqual(connectionTimeoutMillis - 50);
    expect(longestWait).toBeLessThan(bound);
    expect(slowest).toBeLessThan(bound);
    expect(waitingAfter).toBe(0);
    expect(served).toHaveLength(50);
  });
});
