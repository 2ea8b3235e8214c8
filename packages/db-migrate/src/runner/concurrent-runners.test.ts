import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../test-support/built-cli.js';
import { freshDatabase, queryRows, tableNames } from '../test-support/database-helpers.js';
import { writeMigrationDirectory } from '../test-support/migration-directory.js';

const migrationCount = 20;

describe('concurrent deploys', () => {
  it('8 runner processes started at once apply every migration exactly once, and all exit 0', { timeout: 120_000 }, async () => {
    const database = await freshDatabase();
    // Plain CREATE TABLE (no IF NOT EXISTS) fails if it ever runs twice; pg_sleep keeps the
    // first runner busy long enough for the others to start and queue on the lock.
    const files = Object.fromEntries(
      Array.from({ length: migrationCount }, (_, index) => {
        const number = String(index + 1).padStart(3, '0');
        return [`${number}_table_${number}.sql`, `select pg_sleep(0.1);\ncreate table table_${number} (id int primary key);\n`];
      }),
    );
    const directory = writeMigrationDirectory(files);
    const runs = await Promise.all(
      Array.from({ length: 8 }, async () => await runBuiltCli(['up', '--dir', directory, '--json'], { DATABASE_URL: database.ownerUrl })),
    );
    for (const run of runs) expect(run, run.stderr).toMatchObject({ exitCode: 0 });
    const results = runs.map((run) => JSON.parse(run.stdout) as { success: boolean; lockWaitMillis: number; migrations: { name: string; status: string }[] });
    expect(results.every((result) => result.success)).toBe(true);
    const applied = results.flatMap((result) => result.migrations.filter((migration) => migration.status === 'applied').map((migration) => migration.name));
    expect(applied.sort()).toEqual(Object.keys(files).map((file) => file.replace(/\.sql$/, '')));
    expect(results.some((result) => result.lockWaitMillis > 0)).toBe(true);
    const [row] = await queryRows<{ rows: number; names: number }>(
      database.ownerUrl,
      'select count(*)::int as rows, count(distinct name)::int as names from strata_migrations',
    );
    expect(row).toEqual({ rows: migrationCount, names: migrationCount });
    expect(await tableNames(database.ownerUrl)).toHaveLength(migrationCount + 1);
  });
});
