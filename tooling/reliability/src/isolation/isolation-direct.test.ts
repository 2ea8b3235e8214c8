import { useTestDatabase } from '@strata/testkit';
import { describe, expect, it } from 'vitest';
import { recordSuiteResult } from '../report/suite-result.js';
import { isolationSizes, runIsolationScenario } from './isolation-scenario.js';
import { probePoolConnections } from './tenant-setting-probe.js';

const database = useTestDatabase();
const poolSize = 8;

describe('isolation under load, direct', () => {
  it(`keeps ${isolationSizes.tenants} tenants apart under concurrent reads, writes, rollbacks and errors over a pool of ${poolSize}`, async ({ task }) => {
    const run = await runIsolationScenario({
      database,
      scenario: `direct, pool of ${poolSize}`,
      appUrl: database.directAppUrl,
      dbOptions: { max: poolSize, connectionTimeoutMillis: 30_000 },
      probe: async (db) => await probePoolConnections(db.pool),
      seed: 1,
    });
    recordSuiteResult(task, run.result);
    expect(run.outcome.unexpected).toEqual([]);
    expect(run.verdict.descriptions).toEqual([]);
    expect(run.probe.probed).toBe(poolSize);
    expect(run.leaks).toBe(0);
    expect(run.outcome.operations).toBeGreaterThanOrEqual(2_000);
  });
});
