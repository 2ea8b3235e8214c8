import { findPgBouncer, startPgBouncer, useTestDatabase, type PgBouncerProcess } from '@strata/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSuiteResult } from '../report/suite-result.js';
import { isolationSizes, runIsolationScenario } from './isolation-scenario.js';
import { probePooledServerConnections } from './tenant-setting-probe.js';

const database = useTestDatabase();
const serverPoolSize = 8;
const clientPoolSize = 64;
let bouncer: PgBouncerProcess | undefined;

beforeAll(async () => {
  if (findPgBouncer()) bouncer = await startPgBouncer({ serverUrl: database.maintenanceUrl, defaultPoolSize: serverPoolSize });
});

afterAll(async () => {
  await bouncer?.stop();
});

describe.skipIf(!findPgBouncer())('isolation under load, through PgBouncer (transaction pooling)', () => {
  it(`keeps ${isolationSizes.tenants} tenants apart with ${clientPoolSize} clients multiplexed onto ${serverPoolSize} server connections`, async ({
    task,
  }) => {
    const run = await runIsolationScenario({
      database,
      scenario: `PgBouncer transaction mode, ${clientPoolSize} clients → ${serverPoolSize} server connections`,
      appUrl: bouncer!.routeThrough(database.directAppUrl),
      // Session settings cannot follow a client from one server connection to the next in
      // transaction pooling: they travel with every transaction instead.
      dbOptions: { max: clientPoolSize, connectionTimeoutMillis: 30_000, sessionSettings: 'transaction-local' },
      probe: async () => await probePooledServerConnections(bouncer!.routeThrough(database.directAppUrl), serverPoolSize),
      seed: 2,
    });
    recordSuiteResult(task, run.result);
    expect(run.outcome.unexpected, bouncer!.recentLogs()).toEqual([]);
    expect(run.verdict.descriptions).toEqual([]);
    expect(run.probe.backends).toBe(serverPoolSize);
    expect(run.leaks).toBe(0);
  });
});
