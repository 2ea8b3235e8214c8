import { ConfigurationError } from '@strata/db-core';
import type { MigrationSource } from '../sources/migration-definition.js';
import { fromDirectory } from '../sources/directory-source.js';
import { fromMigrations, type ProgrammaticMigration } from '../sources/programmatic-source.js';
import { baselineRun, type BaselineOptions } from './baseline-run.js';
import { resolveBookkeepingTable, type BookkeepingTable } from './bookkeeping-table.js';
import { resolveConnectionTarget, type ConnectionTarget, type MigrationConnectionOptions } from './connection-target.js';
import { downRun, type DownOptions } from './down-run.js';
import type { MigrationProgressEvent, MigrationRunResult } from './migration-result.js';
import { performRun, type RunSettings } from './migration-run.js';
import type { MigrationStatus } from './migration-status.js';
import { readMigrationStatus, type AppliedRowsCache } from './status-reader.js';
import { upRun, type UpOptions } from './up-run.js';

/** Configuration of `createMigrator`. */
export interface MigratorConfig extends MigrationConnectionOptions {
  /** A source, a directory path (SQL/TS files or drizzle-kit output), or an array of migrations. */
  readonly source: MigrationSource | string | readonly ProgrammaticMigration[];
  /** Schema of the bookkeeping table. Default `public`. */
  readonly schema?: string | undefined;
  /** Name of the bookkeeping table. Default `strata_migrations`. */
  readonly table?: string | undefined;
  /** How long to wait for another run's lock before giving up. Default 300 000 ms; 0 fails at once. */
  readonly lockTimeoutMillis?: number | undefined;
  /** How often `lock_waiting` is emitted again while waiting. Default 5 000 ms. */
  readonly lockProgressIntervalMillis?: number | undefined;
  /** Progress events (lock waits, each migration's start and end). Exceptions thrown here are ignored. */
  readonly onProgress?: ((event: MigrationProgressEvent) => void) | undefined;
}

/** Runs and inspects migrations against one database. */
export interface Migrator {
  /** Where the source comes from, e.g. the directory path. */
  readonly sourceDescription: string;
  /** The bookkeeping table, as `schema.table`. */
  readonly tableName: string;
  /** Applies pending migrations. Never throws: failures are in the result. */
  up(options?: UpOptions): Promise<MigrationRunResult>;
  /** Reverts migrations by steps or to a name. Never throws: failures are in the result. */
  down(options?: DownOptions): Promise<MigrationRunResult>;
  /** Records migrations up to `name` as applied without running them. */
  baseline(name: string, options?: BaselineOptions): Promise<MigrationRunResult>;
  /** The state for readiness probes: one query, no lock. Throws only when the server is unreachable. */
  getStatus(): Promise<MigrationStatus>;
  /** Closes the pool the migrator opened (a caller's pool or db is left open). */
  close(): Promise<void>;
}

function resolveSource(source: MigratorConfig['source']): MigrationSource {
  if (typeof source === 'string') return fromDirectory(source);
  if (Array.isArray(source)) return fromMigrations(source as readonly ProgrammaticMigration[]);
  if (source && typeof (source as MigrationSource).list === 'function') return source as MigrationSource;
  throw new ConfigurationError('source must be a MigrationSource, a directory path or an array of migrations.');
}

function resolveMillis(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved < 0) throw new ConfigurationError(`${name} must be a non-negative number of milliseconds, got ${String(value)}`);
  return resolved;
}

class StrataMigrator implements Migrator {
  readonly sourceDescription: string;
  readonly tableName: string;
  private readonly source: MigrationSource;
  private readonly table: BookkeepingTable;
  private readonly target: ConnectionTarget;
  private readonly settings: RunSettings;
  private readonly appliedRowsCache: AppliedRowsCache = { current: undefined };

  constructor(config: MigratorConfig) {
    if (!config || typeof config !== 'object') throw new ConfigurationError('createMigrator needs a configuration object.');
    this.source = resolveSource(config.source);
    this.table = resolveBookkeepingTable(config.schema, config.table);
    const lockTimeoutMillis = resolveMillis('lockTimeoutMillis', config.lockTimeoutMillis, 300_000);
    const lockProgressIntervalMillis = Math.max(100, resolveMillis('lockProgressIntervalMillis', config.lockProgressIntervalMillis, 5_000));
    this.target = resolveConnectionTarget(config);
    this.sourceDescription = this.source.description;
    this.tableName = this.table.displayName;
    const onProgress = config.onProgress;
    this.settings = {
      target: this.target,
      table: this.table,
      lockTimeoutMillis,
      lockProgressIntervalMillis,
      emit: (event) => {
        try {
          onProgress?.(event);
        } catch {
          // A failing progress listener must not break a migration run.
        }
      },
    };
  }

  async up(options: UpOptions = {}): Promise<MigrationRunResult> {
    this.appliedRowsCache.current = undefined;
    return await performRun(this.settings, () => this.source.list(), upRun(options));
  }

  async down(options: DownOptions = {}): Promise<MigrationRunResult> {
    this.appliedRowsCache.current = undefined;
    return await performRun(this.settings, () => this.source.list(), downRun(options));
  }

  async baseline(name: string, options: BaselineOptions = {}): Promise<MigrationRunResult> {
    this.appliedRowsCache.current = undefined;
    return await performRun(this.settings, () => this.source.list(), baselineRun(name, options));
  }

  async getStatus(): Promise<MigrationStatus> {
    return await readMigrationStatus(this.target, this.table, () => this.source.list(), this.appliedRowsCache);
  }

  async close(): Promise<void> {
    await this.target.close();
  }
}

/**
 * Creates a migrator. Nothing connects until a method is called. Configuration errors
 * (no connection, a malformed URL, an invalid table name) throw `ConfigurationError` here.
 *
 * Runs take a session advisory lock on one dedicated connection before creating or reading
 * the bookkeeping table, run each migration in its own transaction together with its
 * bookkeeping row, and report a result instead of throwing.
 *
 * @example
 * import { createMigrator } from '@strata/db-migrate';
 *
 * const migrator = createMigrator({ connectionString: process.env.DATABASE_URL, source: './migrations' });
 * const result = await migrator.up();
 * if (!result.success) console.error(result.error?.message);
 * console.log((await migrator.getStatus()).state); // 'up_to_date'
 * await migrator.close();
 */
export function createMigrator(config: MigratorConfig): Migrator {
  return new StrataMigrator(config);
}
