import { MigrationSourceError } from '../errors/migration-source-error.js';
import { lineAndColumnAt } from './text-position.js';
import { splitSqlStatements, stripLeadingComments } from './sql-statement-splitter.js';

/** Statements that end, start or commit a transaction: they would break per-migration atomicity. */
const transactionControl = /^(begin|start\s+transaction|commit|end|abort|rollback(?!\s+to\b)|prepare\s+transaction)\b/i;

/** Statements PostgreSQL refuses to run inside a transaction block. */
const refusesTransaction =
  /^(create\s+(unique\s+)?index\s+concurrently|drop\s+index\s+concurrently|reindex\b[\s\S]*\bconcurrently|alter\s+table\b[\s\S]*\bdetach\s+partition\b[\s\S]*\bconcurrently|vacuum|create\s+database|drop\s+database|create\s+tablespace|drop\s+tablespace|alter\s+system)\b/i;

function firstWords(statement: string): string {
  return statement.replace(/\s+/g, ' ').trim().split(' ').slice(0, 4).join(' ');
}

/**
 * Checks, before anything runs, that a SQL file fits its transaction mode:
 *
 * - a transactional file must not contain BEGIN/COMMIT/ROLLBACK: the migration and its
 *   bookkeeping row would no longer commit together;
 * - a transactional file must not contain statements PostgreSQL refuses inside a
 *   transaction (CREATE INDEX CONCURRENTLY, VACUUM…): the error points at the opt-out
 *   directive instead of failing half-way through a deploy.
 */
/** Words one of the patterns above starts with: files without any of them need no splitting. */
const candidateWords = /\b(begin|start|commit|end|abort|rollback|prepare|concurrently|vacuum|database|tablespace|system)\b/i;

export function assertFitsTransactionMode(sql: string, offset: number, fileText: string, transaction: boolean, file: string | undefined): void {
  if (!transaction || !candidateWords.test(sql)) return;
  for (const statement of splitSqlStatements(sql)) {
    const body = stripLeadingComments(statement.text);
    const { line } = lineAndColumnAt(fileText, offset + statement.start + (statement.text.length - body.length));
    const where = `${file ?? 'SQL migration'}:${line}`;
    if (transactionControl.test(body)) {
      throw new MigrationSourceError(
        `${where}: "${firstWords(body)}" controls the transaction, but each migration already runs in its own transaction ` +
          'together with its bookkeeping row. Remove it, or add the line "-- strata:no-transaction" to manage transactions yourself.',
        { file },
      );
    }
    if (refusesTransaction.test(body)) {
      throw new MigrationSourceError(
        `${where}: "${firstWords(body)}" cannot run inside a transaction block. Add the line "-- strata:no-transaction" ` +
          'to this file (and read the consequences in docs/migrations.md: keep such files to one idempotent statement).',
        { file },
      );
    }
  }
}
