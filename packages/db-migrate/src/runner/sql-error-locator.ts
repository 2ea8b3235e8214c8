import { MigrationExecutionError, type SqlErrorLocation } from '../errors/migration-execution-error.js';
import type { MigrationStep } from '../sources/migration-definition.js';
import { findStatementAt, type SqlStatement } from '../sources/sql-statement-splitter.js';
import { lineAndColumnAt } from '../sources/text-position.js';

/** The fields of a `pg` DatabaseError the runner reports. */
interface PostgresErrorFields {
  message?: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
  where?: string;
  cause?: unknown;
}

const maximumStatementLength = 300;

function postgresFields(error: unknown): PostgresErrorFields {
  if (!error || typeof error !== 'object') return { message: String(error) };
  const fields = error as PostgresErrorFields;
  // Errors mapped by @strata/db-core keep the pg error as `cause`.
  if (fields.position === undefined && fields.cause && typeof fields.cause === 'object' && 'position' in fields.cause) {
    return { ...(fields.cause as PostgresErrorFields), message: fields.message };
  }
  return fields;
}

function shorten(statement: string): string {
  const compact = statement.replace(/\s+/g, ' ').trim();
  return compact.length > maximumStatementLength ? `${compact.slice(0, maximumStatementLength)}…` : compact;
}

/** Where the SQL that was sent sits relative to the step's SQL. */
export interface SentSql {
  /** Characters the runner put before the step's SQL (BEGIN…) in what it sent. */
  readonly prefixLength: number;
  /** Character offset of the sent statement inside the step's SQL (statement-by-statement mode). */
  readonly statementOffset: number;
  /** The failing statement when known otherwise (see `diagnoseFailure`), for errors without a position. */
  readonly failedStatement?: SqlStatement | undefined;
}

function positionOf(error: unknown): number | undefined {
  const position = Number(postgresFields(error).position);
  return Number.isFinite(position) && position > 0 ? position : undefined;
}

function locate(step: MigrationStep, position: number | undefined, sent: SentSql): SqlErrorLocation | undefined {
  if (step.kind !== 'sql') return undefined;
  if (position === undefined) {
    if (!sent.failedStatement) return undefined;
    const { line, column } = lineAndColumnAt(step.fileText, step.offset + sent.failedStatement.start);
    return { line, column, statement: shorten(sent.failedStatement.text) };
  }
  const indexInStep = sent.statementOffset + position - 1 - sent.prefixLength;
  // A position outside the step's SQL points at the runner's own bookkeeping statements.
  if (indexInStep < 0 || indexInStep > step.sql.length) return undefined;
  const { line, column } = lineAndColumnAt(step.fileText, step.offset + indexInStep);
  const statement = findStatementAt(step.sql, indexInStep);
  return { line, column, statement: statement ? shorten(statement.text) : undefined };
}

/**
 * Turns whatever a migration step threw into a `MigrationExecutionError` naming the
 * migration, its file and, when PostgreSQL reported a position, the line, column and
 * statement in the file. (PostgreSQL reports positions for errors found while parsing and
 * analysing a statement; runtime errors such as a constraint violation name the object in
 * the message and detail instead.)
 */
export function toExecutionError(
  error: unknown,
  migration: { name: string; file: string | undefined },
  direction: 'up' | 'down',
  step: MigrationStep,
  sent: SentSql = { prefixLength: 0, statementOffset: 0 },
): MigrationExecutionError {
  const fields = postgresFields(error);
  const file = step.kind === 'sql' ? (step.file ?? migration.file) : migration.file;
  const reason = [fields.message ?? 'unknown error', fields.where ? `(${fields.where.split('\n')[0]})` : '']
    .filter(Boolean)
    .join(' ');
  return new MigrationExecutionError(reason, {
    migration: migration.name,
    file,
    direction,
    sqlState: typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code) ? fields.code : undefined,
    location: locate(step, positionOf(error), sent),
    detail: fields.detail,
    hint: fields.hint,
    cause: error,
  });
}
