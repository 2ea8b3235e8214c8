import { MigrationError } from './migration-error.js';

/** Where in a SQL file PostgreSQL says the error is. */
export interface SqlErrorLocation {
  /** 1-based line in the file. */
  readonly line: number;
  /** 1-based column in the line. */
  readonly column: number;
  /** The statement the position falls in, trimmed (at most a few hundred characters). */
  readonly statement: string | undefined;
}

/** What PostgreSQL (or the migration's code) reported. */
export interface MigrationExecutionDetails {
  readonly migration: string;
  readonly file: string | undefined;
  readonly direction: 'up' | 'down';
  readonly sqlState: string | undefined;
  readonly location: SqlErrorLocation | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly cause: unknown;
}

/**
 * A migration failed while running. Its transaction was rolled back (unless it opted out of
 * the transaction), so it left nothing behind; migrations before it stay applied. The
 * message names the file and, for SQL, the line, column and statement PostgreSQL reported.
 *
 * @example
 * if (result.error instanceof MigrationExecutionError) {
 *   console.error(result.error.file, result.error.location?.line, result.error.sqlState);
 * }
 */
export class MigrationExecutionError extends MigrationError {
  readonly direction: 'up' | 'down';
  /** SQLSTATE PostgreSQL reported, e.g. `42P01` for a missing table. */
  readonly sqlState: string | undefined;
  readonly location: SqlErrorLocation | undefined;
  readonly hint: string | undefined;

  constructor(reason: string, details: MigrationExecutionDetails) {
    const where = details.file ?? details.migration;
    const position = details.location ? `:${details.location.line}:${details.location.column}` : '';
    const lines = [`Migration ${details.migration} (${details.direction}) failed at ${where}${position}: ${reason}`];
    if (details.location?.statement) lines.push(`  in statement: ${details.location.statement}`);
    if (details.detail) lines.push(`  detail: ${details.detail}`);
    if (details.hint) lines.push(`  hint: ${details.hint}`);
    super(lines.join('\n'), {
      code: details.sqlState ?? 'STRATA_MIGRATION_FAILED',
      migration: details.migration,
      file: details.file,
      detail: details.detail,
      cause: details.cause,
    });
    this.direction = details.direction;
    this.sqlState = details.sqlState;
    this.location = details.location;
    this.hint = details.hint;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), direction: this.direction, sqlState: this.sqlState, location: this.location, detail: this.detail, hint: this.hint };
  }
}
