import { isConnectionLost } from '@strata/db-core';
import type pg from 'pg';
import { MigrationError } from '../errors/migration-error.js';
import type { MigrationDefinition, PreparedMigration } from '../sources/migration-definition.js';
import { acquireMigrationLock, releaseMigrationLock } from './advisory-lock.js';
import {
  creationStatements,
  existenceQuery,
  selectAppliedQuery,
  toAppliedMigrations,
  type AppliedMigration,
  type BookkeepingTable,
} from './bookkeeping-table.js';
import { checkoutConnection, connectionError, releaseConnection, sqlStateOf, type ConnectionTarget } from './connection-target.js';
import { analyzeMigrations, type MigrationAnalysis } from './migration-analysis.js';
import type { MigrationOutcome, MigrationProgressEvent, MigrationRunResult } from './migration-result.js';

/** Settings every run shares. */
export interface RunSettings {
  readonly target: ConnectionTarget;
  readonly table: BookkeepingTable;
  readonly lockTimeoutMillis: number;
  readonly lockProgressIntervalMillis: number;
  readonly emit: (event: MigrationProgressEvent) => void;
}

/** What a command's body works with, under the lock. */
export interface RunContext {
  readonly client: pg.PoolClient;
  readonly table: BookkeepingTable;
  readonly analysis: MigrationAnalysis;
  readonly prepared: ReadonlyMap<string, PreparedMigration>;
  readonly dryRun: boolean;
  /** Records an outcome (and emits `migration_finished`). */
  record(outcome: MigrationOutcome): void;
  readonly emit: (event: MigrationProgressEvent) => void;
}

/** One command: what to check before connecting, and what to do under the lock. */
export interface RunDefinition {
  readonly command: MigrationRunResult['command'];
  readonly dryRun: boolean;
  readonly needsPreparedSteps: boolean;
  /** Checks the request against the source before any connection (e.g. a target name exists). */
  validate(known: readonly MigrationDefinition[]): void;
  execute(context: RunContext): Promise<void>;
}

/** Wraps anything thrown into a `MigrationError`, keeping typed ones as they are. */
export function asMigrationError(error: unknown): MigrationError {
  if (error instanceof MigrationError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new MigrationError(`Migration run failed: ${message}`, { cause: error });
}

/**
 * Reads the bookkeeping rows, creating the table first when asked (always under the lock,
 * so two runners never race to create it). A dry run only reads: a missing table means
 * nothing is applied.
 */
async function readApplied(client: pg.ClientBase, table: BookkeepingTable, create: boolean): Promise<AppliedMigration[]> {
  try {
    const existence = await client.query<{ table_exists: boolean; schema_exists: boolean }>(existenceQuery(table));
    const row = existence.rows[0]!;
    if (!row.table_exists) {
      if (create) await client.query(creationStatements(table, !row.schema_exists));
      return [];
    }
    return toAppliedMigrations((await client.query(selectAppliedQuery(table))).rows);
  } catch (error) {
    if (isConnectionLost(error)) throw error;
    // Typically a role without CREATE on the schema, or a same-named table of another tool.
    throw new MigrationError(`Cannot ${create ? 'create or read' : 'read'} the bookkeeping table ${table.displayName}: ${(error as Error).message}`, {
      code: sqlStateOf(error),
      cause: error,
    });
  }
}

async function prepareAll(known: readonly MigrationDefinition[]): Promise<Map<string, PreparedMigration>> {
  const prepared = await Promise.all(known.map((definition) => definition.prepare()));
  return new Map(prepared.map((migration) => [migration.name, migration]));
}

/**
 * The life of every run: list (and load) the migrations and validate the request before
 * connecting; check out one dedicated connection; take the session advisory lock (not for
 * dry runs); create/read the bookkeeping table under it; run the command's body; release
 * the lock and the connection whatever happened. Errors end the run and come back in the
 * result, never as a throw.
 */
export async function performRun(settings: RunSettings, listMigrations: () => Promise<readonly MigrationDefinition[]>, run: RunDefinition): Promise<MigrationRunResult> {
  const started = performance.now();
  const migrations: MigrationOutcome[] = [];
  let lockWaitMillis = 0;
  const finish = (error?: unknown): MigrationRunResult => ({
    command: run.command,
    success: error === undefined,
    dryRun: run.dryRun,
    migrations,
    error: error === undefined ? undefined : asMigrationError(error),
    lockWaitMillis,
    durationMillis: performance.now() - started,
  });

  let known: readonly MigrationDefinition[];
  let prepared: Map<string, PreparedMigration>;
  try {
    known = await listMigrations();
    run.validate(known);
    prepared = run.needsPreparedSteps ? await prepareAll(known) : new Map();
  } catch (error) {
    return finish(error);
  }

  let client: pg.PoolClient;
  try {
    client = await checkoutConnection(settings.target);
  } catch (error) {
    return finish(error);
  }
  let locked = false;
  let broken = false;
  try {
    if (!run.dryRun) {
      lockWaitMillis = await acquireMigrationLock(client, settings.table, {
        timeoutMillis: settings.lockTimeoutMillis,
        progressIntervalMillis: settings.lockProgressIntervalMillis,
        onWaiting: (holderPid, waitedMillis) =>
          settings.emit({ type: 'lock_waiting', holderPid, waitedMillis, timeoutMillis: settings.lockTimeoutMillis }),
      });
      locked = true;
      settings.emit({ type: 'lock_acquired', waitedMillis: lockWaitMillis });
    }
    const applied = await readApplied(client, settings.table, !run.dryRun);
    await run.execute({
      client,
      table: settings.table,
      analysis: analyzeMigrations(known, applied),
      prepared,
      dryRun: run.dryRun,
      emit: settings.emit,
      record(outcome) {
        migrations.push(outcome);
        settings.emit({ type: 'migration_finished', outcome });
      },
    });
    return finish();
  } catch (error) {
    broken = isConnectionLost(error) || isConnectionLost((error as { cause?: unknown })?.cause);
    return finish(broken && !(error instanceof MigrationError) ? connectionError(settings.target, error) : error);
  } finally {
    if (!broken) {
      // Session settings a migration changed (SET without LOCAL) must not follow the
      // connection back into a caller's pool; RESET ALL returns to the connection's own defaults.
      await client.query('reset all').catch(() => undefined);
      if (locked) await releaseMigrationLock(client, settings.table);
    }
    releaseConnection(client, broken);
  }
}
