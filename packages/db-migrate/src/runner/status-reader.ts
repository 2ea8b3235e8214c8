import { isConnectionLost } from '@strata/db-core';
import { MigrationError } from '../errors/migration-error.js';
import type { MigrationDefinition } from '../sources/migration-definition.js';
import { statusQuery, toAppliedMigrations, type AppliedMigration, type BookkeepingTable } from './bookkeeping-table.js';
import { connectionError, sqlStateOf, undefinedDatabase, type ConnectionTarget } from './connection-target.js';
import { analyzeMigrations } from './migration-analysis.js';
import type { MigrationState, MigrationStatus } from './migration-status.js';

/** undefined_table, invalid_schema_name: the bookkeeping table is not there yet. */
const notInitialized = new Set(['42P01', '3F000']);

function statusOf(state: MigrationState, known: readonly MigrationDefinition[], applied: readonly AppliedMigration[] = []): MigrationStatus {
  if (state === 'no_database' || state === 'uninitialized') {
    return { state, applied, pending: known.map((definition) => definition.name), outOfOrder: [], drifted: [], missing: [] };
  }
  const analysis = analyzeMigrations(known, applied);
  const resolved: MigrationState =
    analysis.drifted.length > 0 ? 'drift' : analysis.missing.length > 0 ? 'ahead' : analysis.pending.length > 0 ? 'pending' : 'up_to_date';
  return {
    state: resolved,
    applied,
    pending: analysis.pending.map((definition) => definition.name),
    outOfOrder: analysis.outOfOrder.map((definition) => definition.name),
    drifted: analysis.drifted,
    missing: analysis.missing.map((row) => row.name),
  };
}

/** The bookkeeping rows a migrator last read, with their fingerprint. */
export interface AppliedRowsCache {
  current: { readonly fingerprint: string; readonly applied: readonly AppliedMigration[] } | undefined;
}

interface StatusRow {
  fingerprint: string | null;
  name: string;
  checksum: string | null;
  applied_at_ms: string;
  execution_time_ms: number;
  method: string;
}

function appliedRows(rows: readonly StatusRow[], cache: AppliedRowsCache): readonly AppliedMigration[] {
  const [header, ...applied] = rows;
  const fingerprint = header!.fingerprint!;
  const cached = cache.current;
  // The server sent no rows: they are the ones already cached (same fingerprint).
  if (applied.length === 0 && cached !== undefined && cached.fingerprint === fingerprint) return cached.applied;
  const fresh = Object.freeze(toAppliedMigrations(applied).map((row) => Object.freeze(row)));
  cache.current = { fingerprint, applied: fresh };
  return fresh;
}

/**
 * The status behind readiness probes: one query, no lock, no query per migration, whether
 * 5 or 5 000 migrations are applied. The server answers with a fingerprint of the
 * bookkeeping rows and sends the rows only when they changed since this migrator last read
 * them. The comparison with the source happens in memory, and the source is listed while
 * the server answers. A missing table is the `uninitialized` state, a missing
 * database `no_database`; an unreachable server throws `MigrationConnectionError`.
 */
export async function readMigrationStatus(
  target: ConnectionTarget,
  table: BookkeepingTable,
  listKnown: () => Promise<readonly MigrationDefinition[]>,
  cache: AppliedRowsCache,
): Promise<MigrationStatus> {
  const result = target.pool.query<StatusRow>(statusQuery(table), [cache.current?.fingerprint ?? null]);
  result.catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  const known = await listKnown();
  try {
    return statusOf('up_to_date', known, [...appliedRows((await result).rows, cache)]);
  } catch (error) {
    cache.current = undefined;
    const sqlState = sqlStateOf(error);
    if (sqlState === undefinedDatabase) return statusOf('no_database', known);
    if (sqlState !== undefined && notInitialized.has(sqlState)) return statusOf('uninitialized', known);
    if (sqlState === undefined || isConnectionLost(error) || sqlState.startsWith('28')) throw connectionError(target, error);
    throw new MigrationError(`Cannot read ${table.displayName}: ${(error as Error).message}`, { code: sqlState, cause: error });
  }
}
