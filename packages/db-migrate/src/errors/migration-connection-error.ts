import { MigrationError } from './migration-error.js';

/**
 * The database server could not be reached, or the connection was lost during a run. The
 * message names the target with its password redacted.
 *
 * @example
 * if (result.error instanceof MigrationConnectionError) process.exitCode = 1;
 */
export class MigrationConnectionError extends MigrationError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'STRATA_MIGRATION_CONNECTION', cause });
  }
}
