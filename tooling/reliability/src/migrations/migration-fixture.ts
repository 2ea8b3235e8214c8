import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The table a fixture migration `NNN_step` creates. */
export function tableOfMigration(name: string): string {
  return `k_${name.split('_')[0]}`;
}

/**
 * Writes `count` SQL migrations `001_step.sql`… Each creates a table, fills it, sleeps
 * `sleepSeconds` (a window to be killed in), records a marker row and creates an index as
 * its last statement: a migration caught half-way would show a table without its marker,
 * record or index.
 *
 * @example
 * const directory = writeFixtureMigrations(12, 0.15);
 */
export function writeFixtureMigrations(count: number, sleepSeconds: number): string {
  const directory = mkdtempSync(join(tmpdir(), 'strata-reliability-migrations-'));
  for (let index = 1; index <= count; index += 1) {
    const number = String(index).padStart(3, '0');
    const name = `${number}_step`;
    writeFileSync(
      join(directory, `${name}.sql`),
      [
        `create table k_${number} (id int primary key, value int not null);`,
        `insert into k_${number} select g, g from generate_series(1, 2000) g;`,
        `select pg_sleep(${sleepSeconds});`,
        `insert into migration_markers (name) values ('${name}');`,
        `create index k_${number}_value_idx on k_${number} (value);`,
        '',
      ].join('\n'),
    );
  }
  return directory;
}

/**
 * Creates `migration_markers` (outside the migrations, so it exists before any run). Its
 * primary key makes a migration that ran twice fail loudly.
 *
 * @example
 * await createMarkerTable(database.directOwnerUrl);
 */
export async function createMarkerTable(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('create table migration_markers (name text primary key)');
  } finally {
    await client.end();
  }
}
