import { randomUUID } from 'node:crypto';
import { ConnectionError, createDb, executeForTenant, withTenant, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUntil } from '../load/concurrent-runner.js';
import { describeServer } from '../load/server-description.js';
import { scaled } from '../load/suite-scale.js';
import { recordSuiteResult } from '../report/suite-result.js';
import type { FaultDatabase } from './fault-database.js';
import { watchForCrashes } from './process-crash-watch.js';

const database = useTestDatabase();
const applicationName = `rel_terminate_${process.pid}`;
const poolSize = 6;
const tenantId = randomUUID();
let db: StrataDb<FaultDatabase>;
let admin: pg.Client;
let backgroundErrors = 0;

async function terminate(filter: string): Promise<number> {
  const { rows } = await admin.query<{ terminated: boolean }>(
    `select pg_terminate_backend(pid) as terminated from pg_stat_activity where application_name = $1 and ${filter}`,
    [applicationName],
  );
  return rows.filter((row) => row.terminated).length;
}

async function waitForActivity(predicate: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { rows } = await admin.query(`select 1 from pg_stat_activity where application_name = $1 and ${predicate}`, [applicationName]);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no backend matched ${predicate}`);
}

/** Every pooled connection answers: the pool holds no dead connection. */
async function allConnectionsWork(): Promise<boolean> {
  const results = await Promise.all(
    Array.from({ length: poolSize * 2 }, async () => await executeForTenant(db, tenantId, db.selectFrom('orders').select('id').limit(1))),
  );
  return results.length === poolSize * 2;
}

async function orderCount(): Promise<number> {
  const { rows } = await admin.query<{ count: number }>('select count(*)::int as count from orders');
  return rows[0]!.count;
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: database.adminUrl });
  await admin.connect();
  await admin.query(`
    create table orders (id bigint generated always as identity primary key, tenant_id uuid not null, request_id uuid not null unique, amount int not null);
    grant select, insert, update, delete on orders to ${pg.escapeIdentifier(database.appRole)};
  `);
  db = createDb<FaultDatabase>({
    connectionString: database.directAppUrl,
    max: poolSize,
    applicationName,
    connectionTimeoutMillis: 2_000,
    onBackgroundError: () => {
      backgroundErrors += 1;
    },
  });
});

afterAll(async () => {
  await db?.close();
  await admin?.end();
});

describe('pg_terminate_backend', () => {
  it('on busy, in-transaction and idle connections: typed errors, no crash, nothing half-written, the pool heals', async ({ task }) => {
    const watch = watchForCrashes();
    const started = performance.now();
    let faults = 0;

    // Busy: a long statement is killed under it.
    // The rejection handler is attached at once: the rejection arrives while we are busy killing.
    const busy = db.executeQuery(sql`select pg_sleep(30)`.compile(db)).then(() => undefined, (error: unknown) => error);
    await waitForActivity(`query like '%pg_sleep(30)%' and state = 'active'`);
    faults += await terminate(`query like '%pg_sleep(30)%'`);
    const busyError = await busy;
    expect(busyError).toBeInstanceOf(ConnectionError);
    expect(await allConnectionsWork()).toBe(true);

    // In a transaction: the insert before the kill must not survive.
    const before = await orderCount();
    const inTransaction = withTenant(db, tenantId, async (trx) => {
      await trx.insertInto('orders').values({ tenant_id: tenantId, request_id: randomUUID(), amount: 1 }).execute();
      await sql`select pg_sleep(30)`.execute(trx);
    }).then(() => undefined, (error: unknown) => error);
    await waitForActivity(`query like '%pg_sleep(30)%' and state = 'active'`);
    faults += await terminate(`query like '%pg_sleep(30)%'`);
    const transactionError = await inTransaction;
    expect(transactionError).toBeInstanceOf(ConnectionError);
    const halfWritten = (await orderCount()) - before;

    // Idle: fill the pool, let it go idle, kill every backend behind it.
    await allConnectionsWork();
    const idleBefore = backgroundErrors;
    faults += await terminate(`state = 'idle'`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const reportedIdle = backgroundErrors - idleBefore;
    expect(await allConnectionsWork()).toBe(true);

    // Under load: kill random backends every 20 ms for a while; every failure must be typed.
    const chaosUntil = Date.now() + scaled(5_000, 1_500);
    let operations = 0;
    let failures = 0;
    const untyped: string[] = [];
    const acknowledged: string[] = [];
    const killer = (async () => {
      while (Date.now() < chaosUntil) {
        faults += await terminate(`pid = (select pid from pg_stat_activity where application_name = '${applicationName}' order by random() limit 1)`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await runUntil({ concurrency: 24, shouldStop: () => Date.now() >= chaosUntil }, async () => {
      operations += 1;
      const requestId = randomUUID();
      try {
        await executeForTenant(db, tenantId, db.insertInto('orders').values({ tenant_id: tenantId, request_id: requestId, amount: 1 }));
        acknowledged.push(requestId);
      } catch (error) {
        failures += 1;
        if (!(error instanceof ConnectionError)) untyped.push(String(error));
      }
    });
    await killer;
    expect(await allConnectionsWork()).toBe(true);
    const { rows } = await admin.query<{ request_id: string }>('select request_id::text from orders');
    const stored = new Set(rows.map((row) => row.request_id));
    const lost = acknowledged.filter((requestId) => !stored.has(requestId)).length;
    const crashes = watch.stop();

    recordSuiteResult(task, {
      suite: 'Faults',
      scenario: 'pg_terminate_backend on busy, in-transaction, idle and random connections',
      operations: operations + poolSize * 8,
      concurrency: 24,
      faultsInjected: faults,
      rowsChecked: stored.size,
      leaksFound: untyped.length + lost + halfWritten + crashes,
      durationMillis: performance.now() - started,
      notes:
        `${failures} of ${operations} requests under random kills failed, all ConnectionError; ${acknowledged.length} acknowledged writes, ${lost} lost; ` +
        `${reportedIdle} idle kills reported to onBackgroundError; pool healthy after each round`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(untyped).toEqual([]);
    expect(lost).toBe(0);
    expect(halfWritten).toBe(0);
    expect(watch.problems).toEqual([]);
    expect(crashes).toBe(0);
    expect(reportedIdle).toBeGreaterThan(0);
  });
});
