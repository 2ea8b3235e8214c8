import type { DriftedMigration } from '../errors/migration-drift-error.js';
import type { AppliedMigration } from './bookkeeping-table.js';

/**
 * The state of a database's migrations, worst first:
 *
 * - `no_database`: the database does not exist (see `sync()`);
 * - `uninitialized`: no bookkeeping table yet;
 * - `drift`: an applied migration was edited afterwards;
 * - `ahead`: the database has applied migrations this code does not know;
 * - `pending`: migrations wait to be applied;
 * - `up_to_date`: every known migration is applied.
 */
export type MigrationState = 'no_database' | 'uninitialized' | 'drift' | 'ahead' | 'pending' | 'up_to_date';

/** What `getStatus()` reports, with the lists behind the state. */
export interface MigrationStatus {
  readonly state: MigrationState;
  /** Bookkeeping rows in the order they were applied. */
  readonly applied: readonly AppliedMigration[];
  /** Names of known migrations not applied yet, in run order. */
  readonly pending: readonly string[];
  /** Pending migrations that sort before the last applied one (`up` refuses them by default). */
  readonly outOfOrder: readonly string[];
  /** Applied migrations whose content changed since. */
  readonly drifted: readonly DriftedMigration[];
  /** Names of applied migrations the code does not know (the `ahead` state). */
  readonly missing: readonly string[];
}
