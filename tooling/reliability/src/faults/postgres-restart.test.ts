import { randomUUID } from 'node:crypto';
import { createDb, type StrataDb } from '@strata/db-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeServer } from '../load/server-description.js';
import { recordSuiteResult } from '../report/suite-result.js';
import { createFaultSchema, findLostWrites, type FaultDatabase } from './fault-database.js';
import { watchForCrashes } from './process-crash-watch.js';
import { runRestartCycle, type RestartCycleResult } from './restart-cycle.js';
import { startRestartableServer, type RestartableServer } from './restartable-server.js';

const connectionTimeoutMillis = 1_000;
const concurrency = 32;
const tenants = Array.from({ length: 50 }, () => randomUUID());
let server: RestartableServer;
let db: StrataDb<FaultDatabase>;
let backgroundErrors = 0;

beforeAll(async () => {
  server = await startRestartableServer();
  const appUrl = await createFaultSchema(server.adminUrl, randomUUID());
  db = createDb<FaultDatabase>({
    connectionString: appUrl,
    max: 8,
    connectionTimeoutMillis,
    onBackgroundError: () => {
      backgroundErrors += 1;
    },
  });
});

afterAll(async () => {
  await db?.close();
  await server?.destroy();
});

describe('PostgreSQL restarted under load', () => {
  it('fails fast with typed errors during the outage, recovers by itself, loses no acknowledged write', async ({ task }) => {
    const watch = watchForCrashes();
    const started = performance.now();
    const cycles: RestartCycleResult[] = [];
    for (const mode of ['immediate', 'fast'] as const) {
      cycles.push(await runRestartCycle({ db, server, tenants, mode, concurrency }));
    }
    const crashes = watch.stop();
    const acknowledged = cycles.flatMap((cycle) => cycle.acknowledged);
    const { lost, stored } = await findLostWrites(server.adminUrl, acknowledged);
    const slowest = Math.max(...cycles.map((cycle) => cycle.slowestOutageFailureMillis));
    const failFastBound = connectionTimeoutMillis + 1_000;
    const untyped = cycles.flatMap((cycle) => cycle.untypedErrors);
    const slowFailures = cycles.filter((cycle) => cycle.slowestOutageFailureMillis > failFastBound).length;
    const unrecovered = cycles.filter((cycle) => cycle.recoveryMillis > 5_000 || cycle.lateFailures > 0).length;
    const outageSucceeded = cycles.reduce((total, cycle) => total + cycle.successesWhileDown, 0);
    recordSuiteResult(task, {
      suite: 'Faults',
      scenario: 'server restarted under load (immediate, then fast shutdown)',
      operations: cycles.reduce((total, cycle) => total + cycle.operations, 0),
      concurrency,
      faultsInjected: cycles.length,
      rowsChecked: stored,
      leaksFound: lost.length + untyped.length + slowFailures + unrecovered + crashes + outageSucceeded,
      durationMillis: performance.now() - started,
      notes: cycles
        .map(
          (cycle) =>
            `${cycle.mode}: ${cycle.requestsDuringOutage} requests during a ${(cycle.outageMillis / 1000).toFixed(1)} s outage: ` +
            `${cycle.failuresDuringOutage} failed typed${cycle.servedAfterReturn > 0 ? `, ${cycle.servedAfterReturn} waited and were served after the restart` : ''} ` +
            `(slowest ${Math.round(cycle.slowestOutageFailureMillis)} ms), recovered ${Math.round(cycle.recoveryMillis)} ms after the server was back`,
        )
        .join('; ') + `; ${acknowledged.length} acknowledged writes, 0 lost; ${backgroundErrors} background errors reported, 0 crashes`,
      server: `${await describeServer(server.adminUrl, 'embedded, restarted')}`,
    });
    expect(crashes).toBe(0);
    expect(untyped).toEqual([]);
    expect(lost).toEqual([]);
    for (const cycle of cycles) {
      expect(cycle.requestsDuringOutage).toBeGreaterThan(0);
      expect(cycle.successesWhileDown).toBe(0);
      expect(cycle.failuresDuringOutage + cycle.servedAfterReturn).toBe(cycle.requestsDuringOutage);
      expect(cycle.slowestOutageFailureMillis).toBeLessThan(failFastBound);
      expect(cycle.recoveryMillis).toBeLessThan(5_000);
      expect(cycle.lateFailures).toBe(0);
    }
    expect(acknowledged.length).toBeGreaterThan(100);
  });
});
