import { MigrationError } from './migration-error.js';

/**
 * The database has applied migrations this code does not know (their files are missing,
 * or the database was migrated by a newer release). `up` refuses unless run with
 * `allowMissing`; `down` can never revert them.
 *
 * @example
 * if (result.error instanceof MigrationMissingError) console.error('unknown to this build:', result.error.missing);
 */
export class MigrationMissingError extends MigrationError {
  /** Names recorded as applied that no source provides. */
  readonly missing: readonly string[];

  constructor(missing: readonly string[], reason?: string) {
    super(
      reason ??
        `${missing.length} applied migration(s) are not in the migration source (files deleted or renamed, or the database is ahead of this build): ${missing.join(', ')}. ` +
          'Restore the files, or run with allowMissing (CLI: --allow-missing) to go on anyway.',
      { code: 'STRATA_MIGRATION_MISSING', migration: missing[0] },
    );
    this.missing = missing;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), missing: this.missing };
  }
}
