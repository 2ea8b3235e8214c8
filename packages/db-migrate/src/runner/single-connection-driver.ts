import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type pg from 'pg';

class ClientConnection implements DatabaseConnection {
  constructor(private readonly client: pg.ClientBase) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.client.query(compiledQuery.sql, [...compiledQuery.parameters]);
    const changesRows = result.command === 'INSERT' || result.command === 'UPDATE' || result.command === 'DELETE' || result.command === 'MERGE';
    return { rows: (result.rows ?? []) as R[], ...(changesRows ? { numAffectedRows: BigInt(result.rowCount ?? 0) } : {}) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not available inside migrations; select in pages instead.');
  }
}

/**
 * A Kysely driver over the runner's one dedicated connection, so a migration's queries run
 * on the connection that holds the lock, inside the migration's transaction. When the
 * runner already opened that transaction, `db.transaction()` is refused: Kysely would send
 * BEGIN/COMMIT of its own and commit the migration without its bookkeeping row.
 */
class SingleConnectionDriver implements Driver {
  private readonly connection: ClientConnection;

  constructor(
    client: pg.ClientBase,
    private readonly insideRunnerTransaction: boolean,
  ) {
    this.connection = new ClientConnection(client);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.insideRunnerTransaction) {
      throw new Error(
        'This migration already runs in a transaction with its bookkeeping row; db.transaction() is not available. ' +
          'Export `transaction = false` from the module to manage transactions yourself.',
      );
    }
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}
}

/** A Kysely instance whose every query runs on `client`. Destroying it leaves the client open. */
export function createSingleConnectionKysely(client: pg.ClientBase, insideRunnerTransaction: boolean): Kysely<any> {
  return new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new SingleConnectionDriver(client, insideRunnerTransaction),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}
