import type pg from 'pg';
import type { MigrationStep, PreparedMigration, SqlMigrationStep } from '../sources/migration-definition.js';
import { splitSqlStatements } from '../sources/sql-statement-splitter.js';
import { diagnoseFailure } from './failure-diagnosis.js';
import { deleteStatement, insertStatement, type BookkeepingTable } from './bookkeeping-table.js';
import { createSingleConnectionKysely } from './single-connection-driver.js';
import { toExecutionError } from './sql-error-locator.js';

/** One step of one migration to run on the dedicated connection. */
export interface StepExecution {
  readonly client: pg.ClientBase;
  readonly table: BookkeepingTable;
  readonly migration: PreparedMigration;
  readonly direction: 'up' | 'down';
  readonly step: MigrationStep;
  /**
   * When false, the transaction commits with `synchronous_commit = off`: it does not wait for
   * its WAL to reach disk. The runner sets it for every migration of a run but the last;
   * the last one's synchronous commit flushes all WAL before it, so when the run reports
   * success everything is durable, and a crash in between loses a suffix of whole
   * migrations (schema change and bookkeeping row together), never half of one.
   */
  readonly synchronousCommit: boolean;
}

function bookkeeping(execution: StepExecution, executionTimeMillis?: number): string {
  const { table, migration, direction } = execution;
  return direction === 'up'
    ? insertStatement(table, migration.name, migration.checksum, 'run', executionTimeMillis)
    : deleteStatement(table, migration.name);
}

function beginStatement(execution: StepExecution): string {
  return execution.synchronousCommit ? 'begin;\n' : 'begin;\nset local synchronous_commit to off;\n';
}

async function rollback(client: pg.ClientBase): Promise<void> {
  await client.query('rollback').catch(() => undefined);
}

/**
 * A transactional SQL step costs one round trip: BEGIN, the file's SQL, the bookkeeping
 * row and COMMIT travel as one simple-protocol message, so PostgreSQL itself parses the
 * file (no client-side splitting) and the row commits with the change or not at all.
 */
async function runTransactionalSql(execution: StepExecution & { step: SqlMigrationStep }, started: number): Promise<void> {
  const prefix = beginStatement(execution);
  const text = `${prefix}${execution.step.sql}\n;\n${bookkeeping(execution)}\ncommit;`;
  try {
    await execution.client.query(text);
  } catch (error) {
    await rollback(execution.client);
    const diagnosis = await diagnoseFailure(execution.client, execution.step, error, performance.now() - started);
    if (diagnosis?.error) {
      throw toExecutionError(diagnosis.error, execution.migration, execution.direction, execution.step, {
        prefixLength: 0,
        statementOffset: diagnosis.statement.start,
        failedStatement: diagnosis.statement,
      });
    }
    throw toExecutionError(error, execution.migration, execution.direction, execution.step, {
      prefixLength: prefix.length,
      statementOffset: 0,
      failedStatement: diagnosis?.statement,
    });
  }
}

async function runTransactionalFunction(execution: StepExecution & { step: { kind: 'function' } }, started: number): Promise<void> {
  const { client } = execution;
  try {
    await client.query(beginStatement(execution));
    await execution.step.run(createSingleConnectionKysely(client, true));
    await client.query(`${bookkeeping(execution, performance.now() - started)}\ncommit;`);
  } catch (error) {
    await rollback(client);
    throw toExecutionError(error, execution.migration, execution.direction, execution.step);
  }
}

/**
 * Outside a transaction each statement is sent on its own (PostgreSQL runs a multi-statement
 * message as one implicit transaction, which CREATE INDEX CONCURRENTLY refuses), and the
 * bookkeeping row is written after the last one succeeded.
 */
async function runWithoutTransaction(execution: StepExecution, started: number): Promise<void> {
  const { client, step } = execution;
  if (step.kind === 'sql') {
    for (const statement of splitSqlStatements(step.sql)) {
      try {
        await client.query(statement.text);
      } catch (error) {
        throw toExecutionError(error, execution.migration, execution.direction, step, {
          prefixLength: 0,
          statementOffset: statement.start,
          failedStatement: statement,
        });
      }
    }
  } else {
    try {
      await step.run(createSingleConnectionKysely(client, false));
    } catch (error) {
      // The migration may have left its own transaction open; do not record it inside that.
      await rollback(client);
      throw toExecutionError(error, execution.migration, execution.direction, step);
    }
  }
  try {
    await client.query(bookkeeping(execution, performance.now() - started));
  } catch (error) {
    throw toExecutionError(error, execution.migration, execution.direction, step);
  }
}

/**
 * Runs one step with its bookkeeping change (insert for up, delete for down) and returns
 * its duration in milliseconds. Throws `MigrationExecutionError`; a transactional step has
 * been rolled back by then.
 */
export async function executeStep(execution: StepExecution): Promise<number> {
  const started = performance.now();
  const { step } = execution;
  if (!step.transaction) await runWithoutTransaction(execution, started);
  else if (step.kind === 'sql') await runTransactionalSql({ ...execution, step }, started);
  else await runTransactionalFunction({ ...execution, step }, started);
  return performance.now() - started;
}
