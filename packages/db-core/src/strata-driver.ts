import { CompiledQuery, type DatabaseConnection, type Driver, type TransactionSettings } from 'kysely';
import pg from 'pg';
import { toStrataError } from './errors/error-mapping.js';
import type { ReplicaSet } from './replica-set.js';
import { RoutingConnection } from './routing-connection.js';
import { StrataConnection, type StrataConnectionOptions } from './strata-connection.js';

/** What `StrataDriver` hands to Kysely: a direct connection or a replica-routing one. */
type ManagedConnection = StrataConnection | RoutingConnection;

/**
 * Kysely driver over `pg.Pool`s that hands out `StrataConnection`s (pipelined BEGIN and
 * settings, typed errors), destroys broken clients instead of returning them to the pool,
 * and, when replicas are configured, routes plain reads to them (`RoutingConnection`).
 */
export class StrataDriver implements Driver {
  private readonly connections = new WeakMap<pg.PoolClient, StrataConnection>();

  /**
   * @param replicas read replicas, or undefined to use the primary only (also used for
   *   `db.primary`, which shares the pools but never routes).
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly connectionOptions: StrataConnectionOptions,
    private readonly replicas: ReplicaSet | undefined,
    private readonly ownsPools: boolean,
  ) {}

  async init(): Promise<void> {
    // Nothing to do: the pools connect lazily, on the first query.
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.replicas) return await this.acquireFrom(this.pool);
    return new RoutingConnection({
      acquirePrimary: () => this.acquireFrom(this.pool),
      acquireFrom: (pool) => this.acquireFrom(pool),
      replicas: this.replicas,
    });
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as ManagedConnection).beginTransaction(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as ManagedConnection).commitTransaction();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as ManagedConnection).rollbackTransaction();
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
    (connection as ManagedConnection).release();
  }

  async destroy(): Promise<void> {
    if (!this.ownsPools) return;
    await Promise.all([this.pool.end(), this.replicas?.end()]);
  }

  private async acquireFrom(pool: pg.Pool): Promise<StrataConnection> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
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
}
