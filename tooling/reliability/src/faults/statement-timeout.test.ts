import { randomUUID } from 'node:crypto';
import { createDb, executeForTenant, StatementTimeoutError, withTenant, type CreateDbOptions } from '@strata/db-core';
import { findPgBouncer, startPgBouncer, useTestDatabase, type PgBouncerProcess } from '@strata/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeServer } from '../load/server-description.js';
import { recordSuiteResult } from '../report/suite-result.js';

const database = useTestDatabase();
const statementTimeoutMillis = 200;
const tenantId = randomUUID();
let bouncer: PgBouncerProcess | undefined;

beforeAll(async () => {
  if (findPgBouncer()) bouncer = await startPgBouncer({ serverUrl: database.maintenanceUrl, defaultPoolSize: 4 });
});

afterAll(async () => {
  await bouncer?.stop();
});

/** Runs a 3 s sleep three ways (plain, executeForTenant, withTenant) and returns how each ended. */
async function provokeTimeouts(url: string, options: Omit<CreateDbOptions, 'connectionString'>): Promise<{ typed: number; untyped: string[]; slowestMillis: number }> {
  const db = createDb({ connectionString: url, max: 2, statementTimeoutMillis, ...options });
  const sleep = sql<{ slept: string }>`select pg_sleep(3)::text as slept`;
  const attempts = [
    () => db.executeQuery(sleep.compile(db)),
    () => executeForTenant(db, tenantId, sleep.compile(db)),
    () => withTenant(db, tenantId, async (trx) => await sleep.execute(trx)),
  ];
  let typed = 0;
  let slowestMillis = 0;
  const untyped: string[] = [];
  try {
    for (const attempt of attempts) {
      const started = performance.now();
      try {
        await attempt();
        untyped.push('the sleep was not cancelled');
      } catch (error) {
        if (error instanceof StatementTimeoutError) typed += 1;
        else untyped.push(String(error));
      }
      slowestMillis = Math.max(slowestMillis, performance.now() - started);
    }
    return { typed, untyped, slowestMillis };
  } finally {
    await db.close();
  }
}

describe('statement timeout', () => {
  it('cancels runaway statements with StatementTimeoutError, directly in both settings modes and through PgBouncer', async ({ task }) => {
    const started = performance.now();
    const runs = [
      { name: 'direct, startup parameters', result: await provokeTimeouts(database.directAppUrl, {}) },
      { name: 'direct, transaction-local', result: await provokeTimeouts(database.directAppUrl, { sessionSettings: 'transaction-local' }) },
      ...(bouncer
        ? [
            {
              name: 'PgBouncer, transaction-local',
              result: await provokeTimeouts(bouncer.routeThrough(database.directAppUrl), { sessionSettings: 'transaction-local' }),
            },
          ]
        : []),
    ];
    const typed = runs.reduce((total, run) => total + run.result.typed, 0);
    const untyped = runs.flatMap((run) => run.result.untyped);
    const slowest = Math.max(...runs.map((run) => run.result.slowestMillis));

    // The pitfall the transaction-local mode exists for: through PgBouncer, startup-parameter
    // timeouts are dropped (ignore_startup_parameters), so nothing cancels the statement.
    let startupParametersBehindPgBouncer = 'not run (no pgbouncer)';
    if (bouncer) {
      const db = createDb({ connectionString: bouncer.routeThrough(database.directAppUrl), max: 1, statementTimeoutMillis });
      try {
        await db.executeQuery(sql`select pg_sleep(0.6)`.compile(db));
        startupParametersBehindPgBouncer = 'a 600 ms sleep ran to completion (timeout dropped)';
      } catch (error) {
        startupParametersBehindPgBouncer = `cancelled: ${String(error)}`;
      } finally {
        await db.close();
      }
    }

    recordSuiteResult(task, {
      suite: 'Faults',
      scenario: `statement timeout (${statementTimeoutMillis} ms)`,
      operations: runs.length * 3,
      concurrency: 1,
      faultsInjected: runs.length * 3,
      rowsChecked: runs.length * 3,
      leaksFound: untyped.length + (slowest > 1_500 ? 1 : 0),
      durationMillis: performance.now() - started,
      notes:
        `${typed} of ${runs.length * 3} 3 s sleeps cancelled with StatementTimeoutError (${runs.map((run) => run.name).join('; ')}), slowest ${Math.round(slowest)} ms; ` +
        `startup-parameter mode behind PgBouncer: ${startupParametersBehindPgBouncer}`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(untyped).toEqual([]);
    expect(typed).toBe(runs.length * 3);
    expect(slowest).toBeLessThan(1_500);
    if (bouncer) expect(startupParametersBehindPgBouncer).toMatch(/ran to completion/);
  });
});
