import pg from 'pg';

/** One statement of a pipeline: SQL text with `$n` placeholders and its values. */
export interface PipelineStatement {
  readonly text: string;
  readonly values: readonly unknown[];
  /**
   * A server-side prepared statement name: parsed and planned once per connection, then only
   * bound and executed. Only for direct connections (a transaction pooler may hand the next
   * pipeline to a server connection that never saw the Parse).
   */
  readonly name?: string;
}

/** What PostgreSQL reported for one statement of a pipeline. */
export interface PipelineStatementResult {
  readonly command: string;
  readonly rowCount: number | null;
  readonly rows: Record<string, unknown>[];
}

interface ProtocolConnection {
  stream: { cork?: () => void; uncork?: () => void };
  /** pg's own record of named statements parsed on this connection. */
  parsedStatements: Record<string, string>;
  parse(message: { text: string; name?: string; types?: unknown[] }): void;
  bind(message: { portal?: string; statement?: string; values?: unknown[]; valueMapper?: (value: unknown) => unknown }): void;
  describe(message: { type: 'P' | 'S'; name?: string }): void;
  execute(message: { portal?: string; rows?: number }): void;
  sync(): void;
  close(message: { type: 'S' | 'P'; name?: string }): void;
  sendCopyFail(message: string): void;
}

interface PgResult {
  command: string;
  rowCount: number | null;
  rows: Record<string, unknown>[];
  _types?: unknown;
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): Record<string, unknown>;
  addRow(row: Record<string, unknown>): void;
  addCommandComplete(message: unknown): void;
}

type PgResultConstructor = new (rowMode?: string, types?: unknown) => PgResult;
const ResultClass = (pg as unknown as { Result: PgResultConstructor }).Result;
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils.prepareValue;

/**
 * A `pg` submittable that sends several statements with the extended protocol
 * (Parse/Bind/Describe/Execute each) followed by ONE Sync, so they cost one network round
 * trip. Before that Sync PostgreSQL runs them in one implicit transaction: a
 * transaction-local `set_config(…, true)` sent first is seen by the statements after it and
 * is gone when the pipeline ends; if any statement fails, the server skips the rest and
 * rolls the implicit transaction back.
 *
 * An explicit `BEGIN` as the first statement opens a real transaction block that stays open
 * after the Sync, which is how a transaction's BEGIN, its settings and its first query share
 * one round trip.
 *
 * Error handling follows `pg`'s Query: on ErrorResponse the client drops us as active query
 * and the server discards everything up to the Sync, so we settle right there.
 */
export class PipelinedQuery {
  readonly promise: Promise<PipelineStatementResult[]>;
  /** Index of the statement that failed, when one did. */
  failedStatementIndex: number | undefined;
  private resolvePromise!: (results: PipelineStatementResult[]) => void;
  private rejectPromise!: (error: unknown) => void;
  private readonly results: PgResult[];
  private current = 0;
  private rowParseError: unknown;
  /** Named statements this pipeline uses, and whether it sends their Parse itself. */
  private readonly namedStatements: Array<{ connection: ProtocolConnection; name: string; text: string; index: number; parsedHere: boolean }> = [];

  /**
   * @param types the client's type parsers (`client._types`), so rows parse exactly as a
   *   plain `client.query` would parse them.
   */
  constructor(
    private readonly statements: readonly PipelineStatement[],
    types?: unknown,
  ) {
    this.results = statements.map(() => new ResultClass(undefined, types));
    this.promise = new Promise((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
  }

  /** Called by `pg.Client` when it is our turn: writes every message, then one Sync. */
  submit(connection: ProtocolConnection): null {
    connection.stream.cork?.();
    try {
      this.statements.forEach((statement, index) => {
        const name = statement.name ?? '';
        const parsedHere = !name || connection.parsedStatements[name] !== statement.text;
        if (parsedHere) {
          // Closing a statement that does not exist is not an error, and it clears one left
          // by an earlier pipeline whose outcome we could not tell.
          if (name) connection.close({ type: 'S', name });
          connection.parse({ text: statement.text, name, types: [] });
        }
        if (name) this.namedStatements.push({ connection, name, text: statement.text, index, parsedHere });
        connection.bind({ portal: '', statement: name, values: [...statement.values], valueMapper: prepareValue });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '', rows: 0 });
      });
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    this.results[this.current]?.addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    if (this.rowParseError) return;
    const result = this.results[this.current];
    if (!result) return;
    try {
      result.addRow(result.parseRow(message.fields));
    } catch (error) {
      this.rowParseError = error;
    }
  }

  handleCommandComplete(message: unknown): void {
    this.results[this.current]?.addCommandComplete(message);
    this.current += 1;
  }

  handleEmptyQuery(): void {
    this.current += 1;
  }

  handlePortalSuspended(): void {
    // rows: 0 means "all rows", so portals never suspend.
  }

  handleCopyInResponse(connection: ProtocolConnection): void {
    connection.sendCopyFail('COPY FROM STDIN is not supported in a pipeline');
  }

  handleCopyData(): void {}

  handleError(error: unknown): void {
    this.failedStatementIndex = this.current;
    // Statements before the failing one completed, so they exist on the server. For the
    // failing one and after we cannot tell (it may even have been deallocated behind our
    // back): forget them, so the next use closes and prepares them again.
    for (const named of this.namedStatements) {
      if (named.index < this.current) named.connection.parsedStatements[named.name] = named.text;
      else delete named.connection.parsedStatements[named.name];
    }
    this.rejectPromise(error);
  }

  handleReadyForQuery(): void {
    for (const named of this.namedStatements) {
      if (named.parsedHere) named.connection.parsedStatements[named.name] = named.text;
    }
    if (this.rowParseError) {
      this.rejectPromise(this.rowParseError);
      return;
    }
    this.resolvePromise(
      this.results.map((result) => ({ command: result.command, rowCount: result.rowCount, rows: result.rows })),
    );
  }
}

/**
 * Sends `statements` to `client` as one pipeline (one round trip) and returns each
 * statement's result in order.
 */
export async function runPipeline(client: pg.PoolClient | pg.Client, statements: readonly PipelineStatement[]): Promise<PipelineStatementResult[]> {
  const query = new PipelinedQuery(statements, (client as unknown as { _types?: unknown })._types);
  (client as unknown as { query(submittable: PipelinedQuery): unknown }).query(query);
  return await query.promise;
}
