import { rmSync } from 'node:fs';
import { useTestDatabase } from '@strata/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../load/seeded-random.js';
import { describeServer } from '../load/server-description.js';
import { scaled } from '../load/suite-scale.js';
import { recordSuiteResult } from '../report/suite-result.js';
import { startMigrateCli } from './migrate-cli-process.js';
import { createMarkerTable, tableOfMigration, writeFixtureMigrations } from './migration-fixture.js';
import { halfApplied, readMigrationSnapshot } from './migration-state-reader.js';

const database = useTestDatabase();
const migrationCount = scaled(30, 10);
const rounds = scaled(8, 3);
let directory: string;
let admin: pg.Client;

beforeAll(async () => {
  directory = writeFixtureMigrations(migrationCount, 0.2);
  await createMarkerTable(database.directOwnerUrl);
  admin = new pg.Client({ connectionString: database.adminUrl });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  rmSync(directory, { recursive: true, force: true });
});

async function migrateBackends(state?: string): Promise<number> {
  const { rows } = await admin.query<{ count: number }>(
    `select count(*)::int as count from pg_stat_activity where datname = current_database() and application_name = 'strata-migrate'${state ? ' and state = $1' : ''}`,
    state ? [state] : [],
  );
  return rows[0]!.count;
}

/** Whether a strata-migrate connection opened after `since` is running a migration's script. */
async function executingSince(since: Date): Promise<boolean> {
  const { rows } = await admin.query(
    `select 1 from pg_stat_activity
      where datname = current_database() and application_name = 'strata-migrate' and state = 'active'
        and query like '%pg_sleep%' and backend_start >= $1`,
    [since],
  );
  return rows.length > 0;
}

describe('a migration runner killed with SIGKILL', () => {
  it('leaves every migration before or after, never between, and the next run completes', async ({ task }) => {
    const started = performance.now();
    const random = seededRandom(7);
    const problems: string[] = [];
    let killsMidMigration = 0;
    let backendsTerminated = 0;
    let snapshotsChecked = 0;
    // Migrations run through the DIRECT owner URL: the runner holds a session advisory lock,
    // which a transaction pooler would hand to whichever client comes next.
    for (let round = 0; round < rounds; round += 1) {
      const { rows } = await admin.query<{ now: Date }>('select clock_timestamp() as now');
      const spawnedAt = rows[0]!.now;
      const run = startMigrateCli(['up', '--dir', directory, '--json'], database.directOwnerUrl);
      // Wait until THIS runner's connection is executing a migration, then kill it a random
      // moment later (each migration takes ~250 ms, most of it in its pg_sleep).
      for (let attempt = 0; attempt < 500 && !(await executingSince(spawnedAt)); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, random.integer(200)));
      if (await executingSince(spawnedAt)) killsMidMigration += 1;
      run.child.kill('SIGKILL');
      if (round % 2 === 1) {
        // The server keeps running a script whose client died until it next writes to the
        // socket, so the migration usually still commits ("after"). Every other round, also
        // terminate that backend, so the migration is rolled back ("before").
        const { rows: terminated } = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity
            where datname = current_database() and application_name = 'strata-migrate' and backend_start >= $1`,
          [spawnedAt],
        );
        backendsTerminated += terminated.length;
      }
      const exit = await run.finished;
      if (exit.signal !== 'SIGKILL') problems.push(`round ${round}: the runner finished before the kill (exit ${exit.exitCode})`);
      // Check at once and again a moment later: the killed runner's backend may still be
      // finishing (or abandoning) the migration it was sent.
      for (const delay of [0, 250]) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        const snapshot = await readMigrationSnapshot(database.adminUrl);
        snapshotsChecked += 1;
        const between = halfApplied(snapshot, tableOfMigration);
        if (between.length > 0) problems.push(`round ${round}: half applied: ${between.join(', ')}`);
        if (snapshot.duplicateRecords > 0) problems.push(`round ${round}: a migration recorded twice`);
      }
    }
    const final = await startMigrateCli(['up', '--dir', directory, '--json'], database.directOwnerUrl).finished;
    const snapshot = await readMigrationSnapshot(database.adminUrl);
    const between = halfApplied(snapshot, tableOfMigration);
    for (let attempt = 0; attempt < 100 && (await migrateBackends()) > 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    const { rows: locks } = await admin.query<{ count: number }>(`select count(*)::int as count from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`);
    const leftover = locks[0]!.count;

    recordSuiteResult(task, {
      suite: 'Migrations under pressure',
      scenario: `runner SIGKILLed at random moments (${migrationCount} migrations)`,
      operations: rounds + 1,
      concurrency: 1,
      faultsInjected: rounds + backendsTerminated,
      rowsChecked: snapshotsChecked + 1,
      leaksFound: problems.length + between.length + snapshot.duplicateRecords + (final.exitCode === 0 ? 0 : 1) + leftover,
      durationMillis: performance.now() - started,
      notes:
        `${rounds} kills (${killsMidMigration} while a migration was executing; ${backendsTerminated} of their backends also terminated), ${snapshotsChecked} snapshots each showed every migration wholly applied or not at all; ` +
        `the next run exited ${final.exitCode} with all ${snapshot.recorded.length} applied once; ${leftover} advisory locks left`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(problems).toEqual([]);
    expect(final.exitCode, final.stderr).toBe(0);
    expect(between).toEqual([]);
    expect(snapshot.recorded).toHaveLength(migrationCount);
    expect(snapshot.duplicateRecords).toBe(0);
    expect(killsMidMigration).toBeGreaterThanOrEqual(rounds / 2);
    expect(leftover).toBe(0);
  });
});
