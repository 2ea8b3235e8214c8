import { MigrationError } from './migration-error.js';

/** One applied migration whose content changed after it was applied. */
export interface DriftedMigration {
  readonly name: string;
  /** The checksum stored when the migration was applied. */
  readonly appliedChecksum: string | null;
  /** The checksum of the migration as it is now. */
  readonly currentChecksum: string | null;
}

/**
 * Applied migrations were edited afterwards (their checksum changed). `up` and `down` refuse
 * to run until the change is reverted or explicitly accepted (`drift: 'accept'`) or
 * re-stamped (`drift: 'restamp'`).
 *
 * @example
 * if (result.error instanceof MigrationDriftError) console.error(result.error.drifted.map((entry) => entry.name));
 */
export class MigrationDriftError extends MigrationError {
  readonly drifted: readonly DriftedMigration[];

  constructor(drifted: readonly DriftedMigration[]) {
    const names = drifted.map((entry) => entry.name).join(', ');
    super(
      `${drifted.length} applied migration(s) changed after they were applied: ${names}. ` +
        'Revert the edit, or run with drift "accept" (leave the stored checksums) or "restamp" (store the new checksums).',
      { code: 'STRATA_MIGRATION_DRIFT', migration: drifted[0]?.name },
    );
    this.drifted = drifted;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), drifted: this.drifted };
  }
}
