import { ConfigurationError, parseConnectionString, redactSecrets } from '@strata/db-core';
import pg from 'pg';
import { MigrationConnectionError } from '../errors/migration-connection-error.js';
import { MigrationError } from '../errors/migration-error.js';
import type { MigrationRunResult } from './migration-result.js';
import { createMigrator, type MigratorConfig } from './migrator.js';
import type { UpOptions } from './up-run.js';

/** Configuration of `sync()`: a migrator's, with a connection string. */
export interface SyncConfig extends Omit<MigratorConfig, 'pool' | 'db'> {
  readonly connectionString: string;
  /** Database to connect to for CREATE DATABASE. Default `postgres`. */
  readonly maintenanceDatabase?: string | undefined;
  /** Options passed to `up`. */
  readonly up?: Omit<UpOptions, 'dryRun'> | undefined;
}

/** What `sync()` did. */
export interface SyncResult {
  readonly success: boolean;
  /** `created`: the database was created and migrated; `upgraded`: migrations were applied; `already_up_to_date`: nothing to do. */
  readonly outcome: 'created' | 'upgraded' | 'already_up_to_date' | 'failed';
  readonly databaseCreated: boolean;
  /** The migration run, when it got that far. */
  readonly run: MigrationRunResult | undefined;
  readonly error: MigrationError | undefined;
}

/** duplicate_database; unique_violation (two CREATE DATABASE racing on pg_database's index). */
const alreadyExists = new Set(['42P04', '23505']);

/**
 * Creates the database through the maintenance database. Another process creating it at
 * the same moment is fine: the loser sees "already exists" and goes on.
 */
async function createDatabase(connectionString: string, maintenanceDatabase: string, database: string): Promise<boolean> {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(maintenanceDatabase)}`;
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 10_000, application_name: 'strata-migrate' });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new MigrationConnectionError(
      `Database ${database} does not exist and the maintenance database ${maintenanceDatabase} is unreachable: ${redactSecrets((error as Error).message)}`,
      error,
    );
  }
  try {
    await client.query(`create database ${pg.escapeIdentifier(database)}`);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== undefined && alreadyExists.has(code)) return false;
    throw new MigrationError(`Could not create database ${database}: ${redactSecrets((error as Error).message)}`, { code, cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Brings a database to the latest migration, creating it first when it does not exist
 * (through the server's maintenance database, which needs the CREATEDB privilege). Safe to
 * run from several processes at once. Never throws for database problems: the result
 * says what happened.
 *
 * @example
 * const result = await sync({ connectionString: process.env.DATABASE_URL!, source: './migrations' });
 * console.log(result.outcome); // 'created' | 'upgraded' | 'already_up_to_date'
 */
export async function sync(config: SyncConfig): Promise<SyncResult> {
  if (!config || typeof config.connectionString !== 'string') throw new ConfigurationError('sync() needs a connectionString.');
  const { database } = parseConnectionString(config.connectionString);
  const migrator = createMigrator(config);
  const failed = (error: unknown, databaseCreated: boolean, run?: MigrationRunResult): SyncResult => ({
    success: false,
    outcome: 'failed',
    databaseCreated,
    run,
    error: error instanceof MigrationError ? error : new MigrationError(String((error as Error)?.message ?? error), { cause: error }),
  });
  try {
    let databaseCreated = false;
    try {
      const status = await migrator.getStatus();
      if (status.state === 'no_database') {
        databaseCreated = await createDatabase(config.connectionString, config.maintenanceDatabase ?? 'postgres', database);
      }
    } catch (error) {
      return failed(error, false);
    }
    const run = await migrator.up(config.up ?? {});
    if (!run.success) return failed(run.error, databaseCreated, run);
    const outcome = databaseCreated ? 'created' : run.migrations.some((migration) => migration.status === 'applied') ? 'upgraded' : 'already_up_to_date';
    return { success: true, outcome, databaseCreated, run, error: undefined };
  } finally {
    await migrator.close();
  }
}
