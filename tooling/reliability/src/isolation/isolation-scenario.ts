import { randomUUID } from 'node:crypto';
import { createDb, type CreateDbOptions } from '@strata/db-core';
import type { TestDatabase } from '@strata/testkit';
import { scaled } from '../load/suite-scale.js';
import { describeServer } from '../load/server-description.js';
import type { SuiteResult } from '../report/suite-result.js';
import { createIsolationSchema, type IsolationDatabase } from './isolation-schema.js';
import { verifyIsolation, type IsolationVerdict } from './isolation-verifier.js';
import { runIsolationWorkload, type WorkloadOutcome } from './isolation-workload.js';
import type { TenantSettingProbe } from './tenant-setting-probe.js';

/** Sizes of the isolation workload at full scale (shortened runs scale operations down). */
export const isolationSizes = {
  tenants: 1_000,
  operations: 100_000,
  concurrency: 256,
} as const;

/** Everything one isolation run produced, for the report and the assertions. */
export interface IsolationScenarioRun {
  readonly outcome: WorkloadOutcome;
  readonly verdict: IsolationVerdict;
  readonly probe: TenantSettingProbe;
  readonly result: SuiteResult;
  readonly leaks: number;
}

/**
 * Creates the schema, runs the workload through a db built from `appUrl` and `dbOptions`,
 * verifies every row as a superuser and probes the pooled connections with `probe`.
 *
 * @example
 * const run = await runIsolationScenario({ database, scenario: 'direct', appUrl: database.directAppUrl, … });
 */
export async function runIsolationScenario(options: {
  readonly database: TestDatabase;
  readonly scenario: string;
  readonly appUrl: string;
  readonly dbOptions: Omit<CreateDbOptions, 'connectionString'>;
  readonly probe: (db: ReturnType<typeof createDb<IsolationDatabase>>) => Promise<TenantSettingProbe>;
  readonly seed: number;
}): Promise<IsolationScenarioRun> {
  const { database } = options;
  await createIsolationSchema(database.directOwnerUrl);
  const tenants = Array.from({ length: isolationSizes.tenants }, () => randomUUID());
  const operations = scaled(isolationSizes.operations, 2_000);
  const db = createDb<IsolationDatabase>({ connectionString: options.appUrl, ...options.dbOptions });
  try {
    const outcome = await runIsolationWorkload({ db, tenants, operations, concurrency: isolationSizes.concurrency, seed: options.seed });
    const probe = await options.probe(db);
    const verdict = await verifyIsolation(database.adminUrl, outcome.ledger, tenants);
    const leaks =
      outcome.crossedReads + outcome.crossedWrites + verdict.misplacedRows + verdict.forbiddenRows + verdict.countMismatches + probe.carrying;
    const provokedErrors =
      outcome.byKind.rollback +
      outcome.byKind.uniqueViolation +
      outcome.byKind.crossTenantInsert +
      outcome.byKind.statementError +
      outcome.byKind.invalidTenant;
    const result: SuiteResult = {
      suite: 'Isolation under load',
      scenario: options.scenario,
      operations: outcome.operations,
      concurrency: isolationSizes.concurrency,
      faultsInjected: provokedErrors,
      rowsChecked: verdict.rowsChecked,
      leaksFound: leaks,
      durationMillis: outcome.durationMillis,
      notes:
        `${tenants.length} tenants, ${Math.round(outcome.operations / (outcome.durationMillis / 1000))} ops/s; ` +
        `${probe.probed} pooled connections probed (${probe.backends} backends), ${probe.carrying} with a tenant; ` +
        `${outcome.unexpectedCount} unexpected outcomes`,
      server: await describeServer(database.adminUrl, database.serverKind),
    };
    return { outcome, verdict, probe, result, leaks };
  } finally {
    await db.close();
  }
}
