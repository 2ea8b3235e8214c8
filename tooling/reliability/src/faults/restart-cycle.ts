import { randomUUID } from 'node:crypto';
import { ConnectionError, executeForTenant, withTenant, type StrataDb } from '@strata/db-core';
import { runUntil } from '../load/concurrent-runner.js';
import type { FaultDatabase } from './fault-database.js';
import type { RestartableServer, ShutdownMode } from './restartable-server.js';

type Phase = 'before' | 'stopping' | 'down' | 'starting' | 'up';

/** What one stop/start of the server under load showed. */
export interface RestartCycleResult {
  readonly mode: ShutdownMode;
  readonly operations: number;
  /** Requests started while the server was down: every one must fail, typed and fast. */
  readonly requestsDuringOutage: number;
  readonly failuresDuringOutage: number;
  /** The slowest failure of a request started during the outage, in ms. */
  readonly slowestOutageFailureMillis: number;
  /** Errors that were not `ConnectionError` (or its `PoolTimeoutError`), described. */
  readonly untypedErrors: readonly string[];
  /** From "the server accepts connections again" to the first request that succeeded. */
  readonly recoveryMillis: number;
  /** Requests started during the outage that succeeded while the server was still down (must be 0). */
  readonly successesWhileDown: number;
  /** Requests started during the outage that waited for a connection and were served after the restart. */
  readonly servedAfterReturn: number;
  /** Requests started 2 s or more after the server was back that still failed. */
  readonly lateFailures: number;
  readonly outageMillis: number;
  /** Request ids of every write the application saw succeed. */
  readonly acknowledged: readonly string[];
}

/**
 * Puts `db` under load, stops the server (`mode`), keeps it down for `outageMillis`, starts
 * it again and keeps the load on for a while, recording what every request saw and when.
 * Failed requests back off 25 ms before the next one, as a real client would.
 *
 * @example
 * const result = await runRestartCycle({ db, server, tenants, mode: 'immediate', concurrency: 32 });
 */
export async function runRestartCycle(options: {
  readonly db: StrataDb<FaultDatabase>;
  readonly server: RestartableServer;
  readonly tenants: readonly string[];
  readonly mode: ShutdownMode;
  readonly concurrency: number;
  readonly warmupMillis?: number;
  readonly outageMillis?: number;
  readonly afterMillis?: number;
}): Promise<RestartCycleResult> {
  const { db, tenants } = options;
  const acknowledged: string[] = [];
  const untypedErrors: string[] = [];
  let phase: Phase = 'before';
  let operations = 0;
  let requestsDuringOutage = 0;
  let failuresDuringOutage = 0;
  let slowestOutageFailureMillis = 0;
  let lateFailures = 0;
  let successesWhileDown = 0;
  let servedAfterReturn = 0;
  let upAt = Number.POSITIVE_INFINITY;
  let firstSuccessAfterUp = Number.POSITIVE_INFINITY;
  let done = false;

  const load = runUntil({ concurrency: options.concurrency, shouldStop: () => done }, async (workerIndex) => {
    const tenantId = tenants[(operations + workerIndex) % tenants.length]!;
    const requestId = randomUUID();
    const startPhase = phase;
    const started = performance.now();
    operations += 1;
    try {
      if (workerIndex % 3 === 0) {
        await withTenant(db, tenantId, async (trx) => {
          await trx.insertInto('orders').values({ tenant_id: tenantId, request_id: requestId, amount: 1 }).execute();
          await trx.selectFrom('orders').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
        });
      } else {
        await executeForTenant(db, tenantId, db.insertInto('orders').values({ tenant_id: tenantId, request_id: requestId, amount: 1 }));
      }
      acknowledged.push(requestId);
      if (started >= upAt) firstSuccessAfterUp = Math.min(firstSuccessAfterUp, performance.now());
      // Started while down, served once the server was back (it waited for a pool slot,
      // within connectionTimeoutMillis): not a failure, and not a success while down.
      if (startPhase === 'down') {
        if (phase === 'down') successesWhileDown += 1;
        else servedAfterReturn += 1;
      }
    } catch (error) {
      const elapsed = performance.now() - started;
      if (!(error instanceof ConnectionError) && untypedErrors.length < 10) {
        untypedErrors.push(`${error instanceof Error ? error.constructor.name : typeof error}: ${String((error as Error)?.message)}`);
      }
      if (startPhase === 'down') {
        failuresDuringOutage += 1;
        slowestOutageFailureMillis = Math.max(slowestOutageFailureMillis, elapsed);
      }
      if (started >= upAt + 2_000) lateFailures += 1;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (startPhase === 'down') requestsDuringOutage += 1;
  });

  const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
  await sleep(options.warmupMillis ?? 1_500);
  phase = 'stopping';
  const stoppingAt = performance.now();
  await options.server.stop(options.mode);
  phase = 'down';
  await sleep(options.outageMillis ?? 2_000);
  phase = 'starting';
  await options.server.start();
  upAt = performance.now();
  const outageMillis = upAt - stoppingAt;
  phase = 'up';
  await sleep(options.afterMillis ?? 3_000);
  done = true;
  await load;

  return {
    mode: options.mode,
    operations,
    requestsDuringOutage,
    failuresDuringOutage,
    slowestOutageFailureMillis,
    untypedErrors,
    recoveryMillis: Math.max(0, firstSuccessAfterUp - upAt),
    lateFailures,
    successesWhileDown,
    servedAfterReturn,
    outageMillis,
    acknowledged,
  };
}
