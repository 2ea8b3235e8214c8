import { MigrationError } from './migration-error.js';

/**
 * The migrations could not be read: a missing directory, a malformed file name, a module
 * without an `up` export, an unreadable drizzle-kit journal, a transactional SQL file that
 * contains `COMMIT`. Reported before any SQL runs, so nothing has changed.
 *
 * @example
 * const result = await migrator.up();
 * if (result.error instanceof MigrationSourceError) console.error(`fix ${result.error.file}: ${result.error.message}`);
 */
export class MigrationSourceError extends MigrationError {
  constructor(message: string, details: { file?: string | undefined; migration?: string | undefined; cause?: unknown } = {}) {
    super(message, { ...details, code: 'STRATA_MIGRATION_SOURCE' });
  }
}
