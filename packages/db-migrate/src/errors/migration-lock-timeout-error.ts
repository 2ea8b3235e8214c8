import { MigrationError } from './migration-error.js';

/**
 * Another migration run held the migration lock for longer than `lockTimeoutMillis`.
 * `holderPid` is the PostgreSQL backend pid of the holder (see `pg_stat_activity`).
 *
 * @example
 * if (result.error instanceof MigrationLockTimeoutError) console.error(`lock held by pid ${result.error.holderPid}`);
 */
export class MigrationLockTimeoutError extends MigrationError {
  readonly holderPid: number | undefined;
  readonly timeoutMillis: number;

  constructor(timeoutMillis: number, holderPid: number | undefined, cause?: unknown) {
    super(
      `Timed out after ${timeoutMillis} ms waiting for the migration lock` +
        (holderPid === undefined ? '' : `, held by PostgreSQL backend pid ${holderPid}`) +
        '. Another migration run is in progress (or stuck: inspect pg_stat_activity).',
      { code: 'STRATA_MIGRATION_LOCK_TIMEOUT', cause },
    );
    this.holderPid = holderPid;
    this.timeoutMillis = timeoutMillis;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), holderPid: this.holderPid, timeoutMillis: this.timeoutMillis };
  }
}
