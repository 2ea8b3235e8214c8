import { isConnectionLost } from '@strata/db-core';
import { MigrationError } from '../errors/migration-error.js';
import type { MigrationDefinition } from '../sources/migration-definition.js';
import { selectAppliedQuery, toAppliedMigrations, type AppliedMigration, type BookkeepingTable } from './bookkeeping-table.js';
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

/**
 * The status behind readiness probes: one query on any pooled connection, no lock, no
 * per-migration query, so it costs one round trip whether 5 or 5 000 migrations are
 * applied. The comparison with the source happens in memory. A missing table is the
 * `uninitialized` state (the failed SELECT is that state's one round trip), a missing
 * database is `no_database`; an unreachable server throws `MigrationConnectionError`.
 */
export async function readMigrationStatus(
  target: ConnectionTarget,
  table: BookkeepingTable,
  listKnown: () => Promise<readonly MigrationDefinition[]>,
): Promise<MigrationStatus> {
  // The query goes out first; the source (synchronous file reads) is listed while the
  // server answers, so a status check costs about the longer of the two, not their sum.
  const rows = target.pool.query(selectAppliedQuery(table));
  rows.catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  const known = await listKnown();
  try {
    return statusOf('up_to_date', known, toAppliedMigrations((await rows).rows));
  } catch (error) {
    const sqlState = sqlStateOf(error);
    if (sqlState === undefinedDatabase) return statusOf('no_database', known);
    if (sqlState !== undefined && notInitialized.has(sqlState)) return statusOf('uninitialized', known);
    if (sqlState === undefined || isConnectionLost(error) || sqlState.startsWith('28')) throw connectionError(target, error);
    throw new MigrationError(`Cannot read ${table.displayName}: ${(error as Error).message}`, { code: sqlState, cause: error });
  }
}
