import { rmSync } from 'node:fs';
import { useTestDatabase } from '@strata/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeServer } from '../load/server-description.js';
import { scaled } from '../load/suite-scale.js';
import { recordSuiteResult } from '../report/suite-result.js';
import { startMigrateCli } from './migrate-cli-process.js';
import { createMarkerTable, tableOfMigration, writeFixtureMigrations } from './migration-fixture.js';
import { halfApplied, readMigrationSnapshot } from './migration-state-reader.js';

const database = useTestDatabase();
const migrationCount = scaled(20, 8);
const runners = 8;
let directory: string;

beforeAll(async () => {
  directory = writeFixtureMigrations(migrationCount, 0.05);
  await createMarkerTable(database.directOwnerUrl);
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

interface UpResult {
  readonly success: boolean;
  readonly lockWaitMillis: number;
  readonly migrations: readonly { name: string; status: string }[];
}

describe('concurrent migration runners across processes', () => {
  it(`${runners} runners (some started late) and status readers apply every migration exactly once`, async ({ task }) => {
    const started = performance.now();
    const problems: string[] = [];
    const ups = Array.from({ length: runners }, async (_, index) => {
      // Half start together, half join while the first is mid-way.
      if (index >= runners / 2) await new Promise((resolve) => setTimeout(resolve, 150 * index));
      return await startMigrateCli(['up', '--dir', directory, '--json'], database.directOwnerUrl).finished;
    });
    let statusRuns = 0;
    let running = true;
    const statusReaders = (async () => {
      while (running) {
        const status = await startMigrateCli(['status', '--dir', directory, '--json'], database.directOwnerUrl).finished;
        statusRuns += 1;
        if (status.exitCode !== 0) problems.push(`status exited ${status.exitCode}: ${status.stderr.slice(0, 300)}`);
      }
    })();
    const results = await Promise.all(ups);
    running = false;
    await statusReaders;
    const applied: string[] = [];
    let waited = 0;
    for (const result of results) {
      if (result.exitCode !== 0) {
        problems.push(`up exited ${result.exitCode}: ${result.stderr.slice(0, 300)}`);
        continue;
      }
      const parsed = JSON.parse(result.stdout) as UpResult;
      if (!parsed.success) problems.push('an up run reported failure');
      if (parsed.lockWaitMillis > 0) waited += 1;
      applied.push(...parsed.migrations.filter((migration) => migration.status === 'applied').map((migration) => migration.name));
    }
    const snapshot = await readMigrationSnapshot(database.adminUrl);
    const between = halfApplied(snapshot, tableOfMigration);
    const appliedTwice = applied.length - new Set(applied).size;

    recordSuiteResult(task, {
      suite: 'Migrations under pressure',
      scenario: `${runners} runner processes at once + status readers (${migrationCount} migrations)`,
      operations: runners + statusRuns,
      concurrency: runners + 1,
      faultsInjected: 0,
      rowsChecked: snapshot.recorded.length + snapshot.markers.length + snapshot.tables.length,
      leaksFound: problems.length + between.length + appliedTwice + snapshot.duplicateRecords + (migrationCount - new Set(applied).size),
      durationMillis: performance.now() - started,
      notes: `${waited} runners waited for the lock then found the work done; ${statusRuns} status runs during the deploy all exited 0; each migration applied exactly once`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(problems).toEqual([]);
    expect(between).toEqual([]);
    expect(appliedTwice).toBe(0);
    expect(new Set(applied).size).toBe(migrationCount);
    expect(snapshot.recorded).toHaveLength(migrationCount);
    expect(waited).toBeGreaterThan(0);
  });
});
