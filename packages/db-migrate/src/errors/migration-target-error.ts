import { MigrationError } from './migration-error.js';

/**
 * A target given by name (`up --to`, `down --to`, `baseline NAME`) names no known migration,
 * or a step count is not a positive integer. Reported before any SQL runs.
 *
 * @example
 * const result = await migrator.up({ to: '0009_typo' });
 * result.error instanceof MigrationTargetError; // true
 */
export class MigrationTargetError extends MigrationError {
  constructor(message: string, details: { migration?: string | undefined } = {}) {
    super(message, { ...details, code: 'STRATA_MIGRATION_TARGET' });
  }
}
