/**
 * Migrations benchmark, all runners on the same server in one run:
 *  - apply 500 small migrations (one CREATE TABLE each) to an empty database,
 *  - a status check against a database with those 500 applied,
 * for Strata (`@strata/db-migrate`), Kysely's Migrator (FileMigrationProvider), node-pg-migrate
 * (SQL files, its CLI default singleTransaction: true) and drizzle's migrator
 * (drizzle-orm/node-postgres/migrator, drizzle-kit folder layout). Every runner reads its
 * migrations from files on disk, as in production. node-pg-migrate has no status command and
 * drizzle no status API: their closest equivalents are a dry run (node-pg-migrate) and a
 * migrate() call with nothing to apply (drizzle). Queries per operation are counted at the pg
 * client, so the table also shows round trips.
 *
 * Run: pnpm bench migrate   (DATABASE_URL=… to use a server instead of embedded PostgreSQL;
 * MIGRATE_BENCH_ITERATIONS / MIGRATE_BENCH_STATUS_ITERATIONS to change the sample counts)
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as drizzleMigrate } from 'drizzle-orm/node-postgres/migrator';
import { FileMigrationProvider, Kysely, Migrator, PostgresDialect } from 'kysely';
import { runner as nodePgMigrate } from 'node-pg-migrate';
import pg from 'pg';
import { createMigrator } from '@strata/db-migrate';
import { withAdminClient, withDatabase } from '@strata/testkit';
import { openBenchDatabase } from './bench-database.js';
import { formatReportTable, type BenchRow } from './report-table.js';

const migrationCount = 500;
const applyIterations = Number(process.env.MIGRATE_BENCH_ITERATIONS ?? 5);
const statusIterations = Number(process.env.MIGRATE_BENCH_STATUS_ITERATIONS ?? 100);

/** Counts the queries (round trips) every client of a pool sends. */
interface QueryCounter {
  count: number;
}

function countQueries(client: pg.ClientBase, counter: QueryCounter): void {
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    counter.count += 1;
    return original(...args);
  };
}

function countingPool(url: string, counter: QueryCounter): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('connect', (client) => countQueries(client, counter));
  return pool;
}

/** A full garbage collection before each apply sample (`--expose-gc` without a command-line flag). */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const tableName = (index: number) => `t${index}`;
const prefix = (index: number) => String(index).padStart(4, '0');
const createTable = (index: number) => `create table "${tableName(index)}" ("id" integer primary key, "note" text)`;

/** One runner under test: how to lay out its files, apply them all, and check status. */
interface MigrationRunner {
  readonly name: string;
  writeFiles(directory: string): void;
  apply(url: string, directory: string, counter: QueryCounter): Promise<void>;
  /** Prepares a long-lived status checker (as a readiness probe would hold one). */
  openStatus(url: string, directory: string, counter: QueryCounter): Promise<{ check: () => Promise<void>; close: () => Promise<void> }>;
}

const strata: MigrationRunner = {
  name: 'Strata (@strata/db-migrate)',
  writeFiles(directory) {
    for (let index = 1; index <= migrationCount; index += 1) {
      writeFileSync(path.join(directory, `${prefix(index)}_${tableName(index)}.sql`), `${createTable(index)};\n-- strata:down\ndrop table "${tableName(index)}";\n`);
    }
  },
  async apply(url, directory, counter) {
    const pool = countingPool(url, counter);
    const migrator = createMigrator({ pool, source: directory });
    try {
      const result = await migrator.up();
      if (!result.success) throw result.error;
    } finally {
      await migrator.close();
      await pool.end();
    }
  },
  async openStatus(url, directory, counter) {
    const pool = countingPool(url, counter);
    const migrator = createMigrator({ pool, source: directory });
    return {
      check: async () => {
        const status = await migrator.getStatus();
        if (status.state !== 'up_to_date') throw new Error(`Strata status: ${status.state}`);
      },
      close: async () => {
        await migrator.close();
        await pool.end();
      },
    };
  },
};

function kyselyMigrator(url: string, directory: string, counter: QueryCounter): { migrator: Migrator; db: Kysely<unknown> } {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: countingPool(url, counter) }) });
  const provider = new FileMigrationProvider({ fs, path, migrationFolder: directory });
  return { migrator: new Migrator({ db, provider }), db };
}

const kysely: MigrationRunner = {
  name: "Kysely's Migrator",
  writeFiles(directory) {
    for (let index = 1; index <= migrationCount; index += 1) {
      const table = tableName(index);
      writeFileSync(
        path.join(directory, `${prefix(index)}_${table}.mjs`),
        `export async function up(db) {\n  await db.schema.createTable('${table}').addColumn('id', 'integer', (column) => column.primaryKey()).addColumn('note', 'text').execute();\n}\n` +
          `export async function down(db) {\n  await db.schema.dropTable('${table}').execute();\n}\n`,
      );
    }
  },
  async apply(url, directory, counter) {
    const { migrator, db } = kyselyMigrator(url, directory, counter);
    try {
      const { error } = await migrator.migrateToLatest();
      if (error) throw error;
    } finally {
      await db.destroy();
    }
  },
  async openStatus(url, directory, counter) {
    const { migrator, db } = kyselyMigrator(url, directory, counter);
    return {
      check: async () => {
        const migrations = await migrator.getMigrations();
        if (migrations.some((migration) => migration.executedAt === undefined)) throw new Error('Kysely status: pending');
      },
      close: async () => await db.destroy(),
    };
  },
};

async function connectedClient(url: string, counter: QueryCounter): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  countQueries(client, counter);
  return client;
}

const nodePgMigrateOptions = { migrationsTable: 'pgmigrations', direction: 'up', count: Infinity, singleTransaction: true, log: () => undefined } as const;

const nodePgMigrateRunner: MigrationRunner = {
  name: 'node-pg-migrate',
  writeFiles(directory) {
    for (let index = 1; index <= migrationCount; index += 1) {
      writeFileSync(
        path.join(directory, `${prefix(index)}_${tableName(index)}.sql`),
        `-- Up Migration\n${createTable(index)};\n-- Down Migration\ndrop table "${tableName(index)}";\n`,
      );
    }
  },
  async apply(url, directory, counter) {
    const client = await connectedClient(url, counter);
    try {
      await nodePgMigrate({ ...nodePgMigrateOptions, dbClient: client, dir: directory });
    } finally {
      await client.end();
    }
  },
  async openStatus(url, directory, counter) {
    const client = await connectedClient(url, counter);
    return {
      check: async () => {
        const pending = await nodePgMigrate({ ...nodePgMigrateOptions, dbClient: client, dir: directory, dryRun: true });
        if (pending.length > 0) throw new Error('node-pg-migrate status: pending');
      },
      close: async () => await client.end(),
    };
  },
};

const drizzleRunner: MigrationRunner = {
  name: "drizzle's migrator",
  writeFiles(directory) {
    mkdirSync(path.join(directory, 'meta'));
    const entries = [];
    const start = Date.UTC(2025, 0, 1);
    for (let index = 1; index <= migrationCount; index += 1) {
      const tag = `${prefix(index - 1)}_${tableName(index)}`;
      writeFileSync(path.join(directory, `${tag}.sql`), `${createTable(index)};\n`);
      entries.push({ idx: index - 1, version: '7', when: start + index * 1000, tag, breakpoints: true });
    }
    writeFileSync(path.join(directory, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }, null, 2));
  },
  async apply(url, directory, counter) {
    const pool = countingPool(url, counter);
    try {
      await drizzleMigrate(drizzle(pool), { migrationsFolder: directory });
    } finally {
      await pool.end();
    }
  },
  async openStatus(url, directory, counter) {
    const pool = countingPool(url, counter);
    const db = drizzle(pool);
    return {
      check: async () => {
        await drizzleMigrate(db, { migrationsFolder: directory });
      },
      close: async () => await pool.end(),
    };
  },
};

const runners = [strata, kysely, nodePgMigrateRunner, drizzleRunner];

/** A fresh database on the bench server for one sample; dropped by the returned function. */
async function scratchDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `strata_bench_migrate_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, async (client) => await client.query(`create database ${pg.escapeIdentifier(name)}`));
  return {
    url: withDatabase(serverUrl, name),
    drop: async () => {
      await withAdminClient(serverUrl, async (client) => await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
    },
  };
}

async function assertAllTables(url: string): Promise<void> {
  await withAdminClient(url, async (client) => {
    const { rows } = await client.query<{ count: number }>(`select count(*)::int as count from pg_tables where schemaname = 'public' and tablename ~ '^t[0-9]+$'`);
    if (rows[0]!.count !== migrationCount) throw new Error(`expected ${migrationCount} tables, found ${rows[0]!.count}`);
  });
}

function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

function row(name: string, samples: readonly number[], note: string): BenchRow {
  const mean = samples.reduce((sum, sample) => sum + sample, 0) / samples.length;
  return { name, opsPerSecond: 1000 / mean, meanMillis: mean, p99Millis: percentile(samples, 0.99), note: `median ${percentile(samples, 0.5).toFixed(1)} ms; ${note}` };
}

function compared(rows: BenchRow[]): BenchRow[] {
  const baseline = rows[0]!;
  return rows.map((entry, index) =>
    index === 0
      ? entry
      : {
          ...entry,
          note:
            entry.meanMillis >= baseline.meanMillis
              ? `${entry.note}; Strata ${(entry.meanMillis / baseline.meanMillis).toFixed(2)}× faster`
              : `${entry.note}; Strata ${(baseline.meanMillis / entry.meanMillis).toFixed(2)}× slower`,
        },
  );
}

export async function run(): Promise<string> {
  const benchDatabase = await openBenchDatabase('migrate');
  const root = mkdtempSync(path.join(tmpdir(), 'strata-migrate-bench-'));
  try {
    const applySamples = new Map<string, number[]>(runners.map((runner) => [runner.name, []]));
    const applyQueries = new Map<string, number>();
    const statusDatabases = new Map<string, { url: string; directory: string; drop: () => Promise<void> }>();
    // Iteration 0 is an unmeasured warm-up (server caches, Node's JIT); then the order rotates
    // each iteration so no runner always goes first.
    for (let iteration = 0; iteration <= applyIterations; iteration += 1) {
      const order = runners.map((_, index) => runners[(index + iteration) % runners.length]!);
      for (const runner of order) {
        // Fresh files each time: Node caches imported modules, which would flatter module-based runners.
        const directory = mkdtempSync(path.join(root, 'migrations-'));
        runner.writeFiles(directory);
        const database = await scratchDatabase(benchDatabase.url);
        const counter = { count: 0 };
        collectGarbage();
        const started = performance.now();
        await runner.apply(database.url, directory, counter);
        if (iteration > 0) applySamples.get(runner.name)!.push(performance.now() - started);
        applyQueries.set(runner.name, counter.count);
        await assertAllTables(database.url);
        const previous = statusDatabases.get(runner.name);
        statusDatabases.set(runner.name, { ...database, directory });
        await previous?.drop();
      }
    }

    const statusSamples = new Map<string, number[]>(runners.map((runner) => [runner.name, []]));
    const statusQueries = new Map<string, number>();
    const checkers = new Map<string, Awaited<ReturnType<MigrationRunner['openStatus']>>>();
    const counters = new Map<string, QueryCounter>();
    for (const runner of runners) {
      const target = statusDatabases.get(runner.name)!;
      const counter = { count: 0 };
      counters.set(runner.name, counter);
      const checker = await runner.openStatus(target.url, target.directory, counter);
      // Warm-up: connections opened, modules imported, JIT warm.
      for (let warmup = 0; warmup < 5; warmup += 1) await checker.check();
      checkers.set(runner.name, checker);
    }
    // Samples alternate between runners (rotating order), so a load spike on this shared
    // machine hits all of them alike, and so does the collection of each other's garbage.
    // (No forced GC per sample here: right after a full collection every runner is several
    // times slower, which would measure V8 rather than the runners.)
    collectGarbage();
    for (let iteration = 0; iteration < statusIterations; iteration += 1) {
      for (const runner of runners.map((_, index) => runners[(index + iteration) % runners.length]!)) {
        const counter = counters.get(runner.name)!;
        counter.count = 0;
        const started = performance.now();
        await checkers.get(runner.name)!.check();
        statusSamples.get(runner.name)!.push(performance.now() - started);
        statusQueries.set(runner.name, counter.count);
      }
    }
    for (const checker of checkers.values()) await checker.close();
    for (const database of statusDatabases.values()) await database.drop();

    const applyRows = compared(runners.map((runner) => row(runner.name, applySamples.get(runner.name)!, `${applyQueries.get(runner.name)} queries`)));
    const statusRows = compared(runners.map((runner) => row(runner.name, statusSamples.get(runner.name)!, `${statusQueries.get(runner.name)} queries`)));
    return [
      `## Migrations (${benchDatabase.serverDescription}, ${migrationCount} migrations)`,
      '',
      formatReportTable(`Apply ${migrationCount} migrations to an empty database (${applyIterations} samples each)`, strata.name, applyRows),
      '',
      formatReportTable(`Status check with ${migrationCount} applied (${statusIterations} samples each)`, strata.name, statusRows),
    ].join('\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
    await benchDatabase.close();
  }
}
