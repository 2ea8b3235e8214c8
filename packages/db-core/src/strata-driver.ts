import { CompiledQuery, type DatabaseConnection, type Driver, type TransactionSettings } from 'kysely';
import pg from 'pg';
import { toStrataError } from './errors/error-mapping.js';
import { StrataConnection, type StrataConnectionOptions } from './strata-connection.js';

/**
 * Kysely driver over a `pg.Pool` that hands out `StrataConnection`s (pipelined BEGIN and
 * settings, typed errors) and returns broken clients to the pool as broken, so they are
 * destroyed instead of being given to the next caller.
 */
export class StrataDriver implements Driver {
  private readonly connections = new WeakMap<pg.PoolClient, StrataConnection>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly connectionOptions: StrataConnectionOptions,
  ) {}

  async init(): Promise<void> {
    // Nothing to do: the pool connects lazily, on the first query.
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toStrataError(error);
    }
    let connection = this.connections.get(client);
    if (!connection) {
      connection = new StrataConnection(client, this.connectionOptions);
      this.connections.set(client, connection);
    }
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    (connection as StrataConnection).beginTransaction(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as StrataConnection).commitTransaction();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as StrataConnection).rollbackTransaction();
  }

  async savepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${pg.escapeIdentifier(savepointName)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${pg.escapeIdentifier(savepointName)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${pg.escapeIdentifier(savepointName)}`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const strataConnection = connection as StrataConnection;
    const discard = strataConnection.mustBeDiscarded;
    const lostError = strataConnection.lostError;
    strataConnection.resetForRelease();
    if (discard) {
      this.connections.delete(strataConnection.client);
      strataConnection.lostError = undefined;
      strataConnection.client.release(lostError instanceof Error ? lostError : true);
    } else {
      strataConnection.client.release();
    }
  }

  async destroy(): Promise<void> {
    await this.pool.end();
  }
}
