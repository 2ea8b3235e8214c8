import { CompiledQuery, type DatabaseConnection, type QueryResult, type TransactionSettings } from 'kysely';
import type pg from 'pg';
import { ConfigurationError } from './errors/configuration-error.js';
import { isConnectionLost, toStrataError } from './errors/error-mapping.js';
import { TransactionRolledBackError } from './errors/transient-errors.js';
import { runPipeline, type PipelineStatement, type PipelineStatementResult } from './pipelined-query.js';
import { preparedStatementName } from './prepared-statement.js';

/**
 * Compiled queries registered here are not sent on their own: the connection holds them and
 * sends them in the same pipeline as the next real statement (one round trip for both).
 * Used for the tenant context and transaction-local settings. A WeakSet rather than a flag
 * on the query because Kysely freezes compiled queries.
 */
const deferredQueries = new WeakSet<CompiledQuery>();

/**
 * Marks a compiled query so a Strata connection sends it together with the next statement
 * instead of on its own. On any other Kysely driver it simply runs immediately, which is
 * slower but equally correct.
 */
export function deferUntilNextStatement(query: CompiledQuery): CompiledQuery {
  deferredQueries.add(query);
  return query;
}

/**
 * Statements to send in the same pipeline right before a given compiled query. Keyed by a
 * per-call copy of the query, so concurrent calls never see each other's prelude.
 */
const queryPreludes = new WeakMap<CompiledQuery, readonly PipelineStatement[]>();

/**
 * Returns a copy of `query` that a Strata connection sends right after `prelude`, all before
 * one Sync: one round trip, one implicit transaction.
 */
export function withPrelude<R>(query: CompiledQuery<R>, prelude: readonly CompiledQuery[]): CompiledQuery<R> {
  const copy: CompiledQuery<R> = { ...query };
  queryPreludes.set(
    copy,
    prelude.map((statement) => ({ text: statement.sql, values: statement.parameters })),
  );
  return copy;
}

/** Whether a compiled query carries a prelude (tenant context) that must run with it. */
export function hasPrelude(query: CompiledQuery): boolean {
  return queryPreludes.has(query);
}

/** Options every connection of one engine shares. */
export interface StrataConnectionOptions {
  /**
   * Transaction-local settings (e.g. statement_timeout) sent with every transaction's BEGIN
   * and before every autocommit statement. Empty when settings travel as startup parameters.
   */
  readonly localSettings: readonly PipelineStatement[];
  /**
   * Prepare the `set_config` statement once per connection (a named server-side statement)
   * instead of parsing and planning it in every pipeline. Only safe on direct connections:
   * behind a transaction pooler the next pipeline may reach a server that never saw it.
   */
  readonly prepareContextStatements: boolean;
  /** `pg-cursor` constructor, required only for `.stream()`. */
  readonly cursor?: (new (text: string, values: unknown[]) => { read(rows: number): Promise<unknown[]>; close(): Promise<void> }) | undefined;
}

const emptyResult: QueryResult<never> = { rows: [] };

/** The statement that carries the tenant and local settings; the only one Strata prepares. */
const setConfigStatement = 'select set_config($1, $2, true)';
const setConfigStatementName = 'strata_set_config';

function toQueryResult<R>(result: { command: string; rowCount: number | null; rows: unknown[] }): QueryResult<R> {
  const changesRows = result.command === 'INSERT' || result.command === 'UPDATE' || result.command === 'DELETE' || result.command === 'MERGE';
  return {
    rows: (result.rows ?? []) as R[],
    ...(changesRows ? { numAffectedRows: BigInt(result.rowCount ?? 0) } : {}),
  };
}

function beginStatement(settings: TransactionSettings): string {
  // Kysely validates both values against fixed lists before they reach the driver.
  let text = 'begin';
  if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
  if (settings.accessMode) text += ` ${settings.accessMode}`;
  return text;
}

/**
 * Kysely connection over one pooled `pg` client that saves round trips: BEGIN, the
 * transaction's settings (tenant id, timeouts) and the first statement of a transaction
 * travel in one pipeline; a transaction that never ran a statement sends nothing at all.
 */
export class StrataConnection implements DatabaseConnection {
  /** The error that made this connection unusable, if any; the pool then discards it. */
  lostError: unknown;
  private pending: PipelineStatement[] = [];
  private transactionOpen = false;
  private beginDeferred = false;

  constructor(
    readonly client: pg.PoolClient,
    private readonly options: StrataConnectionOptions,
  ) {}

  /** Starts a transaction lazily: BEGIN goes out with the first statement. */
  beginTransaction(settings: TransactionSettings): void {
    this.pending = [{ text: beginStatement(settings), values: [] }, ...this.options.localSettings.map((entry) => this.prepared(entry))];
    this.transactionOpen = true;
    this.beginDeferred = true;
  }

  async commitTransaction(): Promise<void> {
    await this.endTransaction('commit');
  }

  async rollbackTransaction(): Promise<void> {
    await this.endTransaction('rollback');
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement: PipelineStatement = { text: compiledQuery.sql, values: compiledQuery.parameters };
    if (deferredQueries.has(compiledQuery)) {
      this.pending.push(this.prepared(statement));
      return emptyResult;
    }
    const queryPrelude = queryPreludes.get(compiledQuery);
    if (this.pending.length > 0 || queryPrelude || (!this.transactionOpen && this.options.localSettings.length > 0)) {
      const prelude = this.pending.length > 0 || this.transactionOpen ? this.pending : this.options.localSettings;
      this.pending = [];
      this.beginDeferred = false;
      const statements = queryPrelude ? [...prelude, ...queryPrelude.map((entry) => this.prepared(entry)), statement] : [...prelude, statement];
      const results = await this.guard(() => this.runPipelineOnce(statements));
      return toQueryResult<R>(results[results.length - 1] as PipelineStatementResult);
    }
    const name = this.options.prepareContextStatements ? preparedStatementName(compiledQuery) : undefined;
    if (name !== undefined) {
      // Named statements go through the pipeline, which prepares them once per connection
      // (Close + Parse when not yet known) and keeps pg's record of them right.
      const results = await this.guard(() => this.runPipelineOnce([{ ...statement, name }]));
      return toQueryResult<R>(results[0] as PipelineStatementResult);
    }
    const result = await this.guard(() => this.client.query({ text: statement.text, values: [...statement.values] }));
    return toQueryResult<R>(result);
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const Cursor = this.options.cursor;
    if (!Cursor) {
      throw new ConfigurationError("Streaming needs the 'pg-cursor' package: createDb({ cursor: Cursor })");
    }
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
      throw new ConfigurationError('chunkSize must be a positive integer');
    }
    await this.flushPending();
    const cursor = this.client.query(new Cursor(compiledQuery.sql, [...compiledQuery.parameters]) as never) as unknown as InstanceType<
      NonNullable<StrataConnectionOptions['cursor']>
    >;
    try {
      for (;;) {
        const rows = (await this.guard(() => cursor.read(chunkSize))) as R[];
        if (rows.length === 0) break;
        yield { rows };
      }
    } finally {
      await cursor.close();
    }
  }

  /**
   * Runs a pipeline; if it opens with a prepared statement the server no longer has (someone
   * ran DEALLOCATE ALL or DISCARD ALL on this session) and no transaction is open, nothing ran
   * and the implicit transaction was rolled back, so it is sent once more (the failed name is
   * forgotten, so this time it is closed and prepared again). Inside an open transaction the
   * transaction is already aborted: the error goes to the caller.
   */
  private async runPipelineOnce(statements: readonly PipelineStatement[]): Promise<PipelineStatementResult[]> {
    try {
      return await runPipeline(this.client, statements);
    } catch (error) {
      const missingPreparedStatement = (error as { code?: unknown }).code === '26000';
      if (!missingPreparedStatement || statements[0]?.name === undefined || this.transactionOpen) throw error;
      return await runPipeline(this.client, statements);
    }
  }

  /** Gives the set_config statement its prepared name when that is safe. */
  private prepared(statement: PipelineStatement): PipelineStatement {
    if (!this.options.prepareContextStatements || statement.text !== setConfigStatement) return statement;
    return { ...statement, name: setConfigStatementName };
  }

  /**
   * Returns the client to its pool, or destroys it when it is broken (its connection was
   * lost) or still inside a transaction, so the next caller never gets a bad connection.
   */
  release(): void {
    const discard = this.lostError !== undefined || this.transactionOpen;
    const lostError = this.lostError;
    this.pending = [];
    this.transactionOpen = false;
    this.beginDeferred = false;
    this.lostError = undefined;
    this.client.release(discard ? (lostError instanceof Error ? lostError : true) : undefined);
  }

  private async endTransaction(command: 'commit' | 'rollback'): Promise<void> {
    const neverStarted = this.beginDeferred;
    this.pending = [];
    this.beginDeferred = false;
    if (neverStarted) {
      // BEGIN was never sent because the transaction ran no statement: nothing to end.
      this.transactionOpen = false;
      return;
    }
    try {
      const result = await this.guard(() => this.client.query(command));
      if (command === 'commit' && result.command === 'ROLLBACK') {
        // The server rolled back instead: an earlier statement failed and was caught.
        throw new TransactionRolledBackError(
          'COMMIT was answered with ROLLBACK: an earlier statement in this transaction failed, so none of its writes were kept',
          { code: 'STRATA_TRANSACTION_ROLLED_BACK' },
        );
      }
    } finally {
      // A failed COMMIT ends the transaction too; a lost connection is discarded anyway.
      this.transactionOpen = false;
    }
  }

  private async flushPending(): Promise<void> {
    if (this.pending.length === 0) return;
    const statements = this.pending;
    this.pending = [];
    this.beginDeferred = false;
    await this.guard(() => runPipeline(this.client, statements));
  }

  /** Runs one protocol exchange, mapping errors to Strata errors and noting lost connections. */
  private async guard<T>(exchange: () => Promise<T>): Promise<T> {
    try {
      return await exchange();
    } catch (error) {
      if (isConnectionLost(error)) this.lostError = error;
      throw toStrataError(error);
    }
  }
}
