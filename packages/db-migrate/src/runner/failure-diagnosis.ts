import type pg from 'pg';
import type { SqlMigrationStep } from '../sources/migration-definition.js';
import { splitSqlStatements, type SqlStatement } from '../sources/sql-statement-splitter.js';

/** Re-running costs at most about as long again as the failed attempt, and only this long. */
const diagnosisBudgetMillis = 10_000;

/** The statement a diagnosis found failing, and the error it failed with. */
export interface DiagnosedFailure {
  readonly statement: SqlStatement;
  /** The rerun's error (it may carry a position the first error lacked); undefined when not rerun. */
  readonly error: unknown;
}

function hasPosition(error: unknown): boolean {
  const fields = error as { position?: unknown; cause?: { position?: unknown } } | undefined;
  return fields?.position !== undefined || fields?.cause?.position !== undefined;
}

/**
 * A transactional SQL file runs as one message, and PostgreSQL reports no position for
 * errors raised while executing a statement (most DDL errors, constraint violations), so
 * the failing statement is unknown. After the rollback, this runs the file's statements one
 * by one in a transaction that is rolled back again, and returns the first one that fails
 * with the same SQLSTATE. Only for failures that happened quickly (a long data migration is
 * not run twice) and with a statement timeout, so a diagnosis can never hang a deploy.
 */
export async function diagnoseFailure(
  client: pg.ClientBase,
  step: SqlMigrationStep,
  error: unknown,
  elapsedMillis: number,
): Promise<DiagnosedFailure | undefined> {
  if (hasPosition(error)) return undefined;
  const statements = splitSqlStatements(step.sql);
  if (statements.length === 1) return { statement: statements[0]!, error: undefined };
  if (statements.length === 0 || elapsedMillis > diagnosisBudgetMillis) return undefined;
  const code = (error as { code?: unknown }).code;
  try {
    await client.query('begin');
    await client.query("select set_config('statement_timeout', $1, true)", [`${Math.round(elapsedMillis * 2 + 1_000)}ms`]);
    for (const statement of statements) {
      try {
        await client.query(statement.text);
      } catch (rerunError) {
        return (rerunError as { code?: unknown }).code === code ? { statement, error: rerunError } : undefined;
      }
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    await client.query('rollback').catch(() => undefined);
  }
}
