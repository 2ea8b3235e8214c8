import { StrataError } from '@strata/db-core';

/** Where in a migration something went wrong; every field is optional. */
export interface MigrationErrorDetails {
  /** The migration's name, e.g. `0003_add_orders`. */
  readonly migration?: string | undefined;
  /** The file the migration came from, when it came from a file. */
  readonly file?: string | undefined;
  /** SQLSTATE when PostgreSQL reported the error, otherwise a `STRATA_MIGRATION_*` code. */
  readonly code?: string | undefined;
  /** PostgreSQL's DETAIL line, when it sent one. */
  readonly detail?: string | undefined;
  readonly cause?: unknown;
}

/**
 * Base class of every error `@strata/db-migrate` reports. It is a `StrataError`, so code that
 * handles Strata errors in general handles these too; `migration` and `file` say where.
 *
 * @example
 * const result = await migrator.up();
 * if (result.error instanceof MigrationError) console.error(result.error.file, result.error.message);
 */
export class MigrationError extends StrataError {
  /** The migration the error is about, when there is one. */
  readonly migration: string | undefined;
  /** The file the migration came from, when there is one. */
  readonly file: string | undefined;

  constructor(message: string, details: MigrationErrorDetails = {}) {
    super(message, { code: details.code ?? 'STRATA_MIGRATION', detail: details.detail, cause: details.cause });
    this.migration = details.migration;
    this.file = details.file;
  }

  /** A plain object for `--json` output and structured logs (never includes the cause's secrets). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, migration: this.migration, file: this.file };
  }
}
