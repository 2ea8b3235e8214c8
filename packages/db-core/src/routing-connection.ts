import type { CompiledQuery, DatabaseConnection, QueryResult, TransactionSettings } from 'kysely';
import type pg from 'pg';
import { isConnectionLost, toStrataError } from './errors/error-mapping.js';
import { ConnectionError, PoolTimeoutError } from './errors/transient-errors.js';
import { isAllowedOnReplica, isReplicaSafeRead } from './read-only-query.js';
import type { ReplicaSet } from './replica-set.js';
import { hasPrelude, type StrataConnection } from './strata-connection.js';

/** How a routing connection gets real connections. */
export interface ConnectionSources {
  acquirePrimary(): Promise<StrataConnection>;
  acquireFrom(pool: pg.Pool): Promise<StrataConnection>;
  readonly replicas: ReplicaSet;
}

/**
 * A connection that picks its server on first use: a plain read outside any transaction
 * (see `isReplicaSafeRead`) goes to a healthy replica; anything else, every transaction and
 * every tenant-scoped statement go to the primary. If a replica cannot be reached, the read
 * falls back to the next replica and finally to the primary. Once a connection has served
 * reads from a replica, a later write on it moves it to the primary for the rest of its use.
 */
export class RoutingConnection implements DatabaseConnection {
  private bound: StrataConnection | undefined;
  private boundToReplica = false;

  constructor(private readonly sources: ConnectionSources) {}

  beginTransaction(settings: TransactionSettings): Promise<void> {
    return this.onPrimary().then((connection) => connection.beginTransaction(settings));
  }

  async commitTransaction(): Promise<void> {
    await this.bound?.commitTransaction();
  }

  async rollbackTransaction(): Promise<void> {
    await this.bound?.rollbackTransaction();
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // A statement with a prelude (tenant scope) stays on the primary unless explicitly allowed,
    // so a tenant's read right after its own write sees that write.
    const wantsReplica =
      isAllowedOnReplica(compiledQuery) || (!this.bound && !hasPrelude(compiledQuery) && isReplicaSafeRead(compiledQuery));
    if (wantsReplica && (!this.bound || this.boundToReplica)) {
      const result = await this.tryReplicas<R>(compiledQuery);
      if (result) return result;
    }
    const primary = await this.onPrimary();
    return await primary.executeQuery<R>(compiledQuery);
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    const primary = await this.onPrimary();
    yield* primary.streamQuery<R>(compiledQuery, chunkSize);
  }

  release(): void {
    this.bound?.release();
    this.bound = undefined;
    this.boundToReplica = false;
  }

  /** Runs a read on a replica; undefined when no replica could serve it. */
  private async tryReplicas<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R> | undefined> {
    if (this.bound && this.boundToReplica) {
      try {
        return await this.bound.executeQuery<R>(compiledQuery);
      } catch (error) {
        if (!isConnectionLost(error)) throw error;
        this.release();
      }
    }
    for (const pool of this.sources.replicas.candidates()) {
      let connection: StrataConnection;
      try {
        connection = await this.sources.acquireFrom(pool);
      } catch (error) {
        const mapped = toStrataError(error);
        if (!(mapped instanceof ConnectionError)) throw mapped;
        // A busy replica is not a dead one: try the next without taking it out of rotation.
        if (!(mapped instanceof PoolTimeoutError)) this.sources.replicas.markDown(pool);
        continue;
      }
      this.bound = connection;
      this.boundToReplica = true;
      try {
        return await connection.executeQuery<R>(compiledQuery);
      } catch (error) {
        // A read is safe to repeat elsewhere only when the replica itself failed.
        if (!isConnectionLost(error)) throw error;
        this.sources.replicas.markDown(pool);
        this.release();
      }
    }
    return undefined;
  }

  private async onPrimary(): Promise<StrataConnection> {
    if (this.bound && !this.boundToReplica) return this.bound;
    this.release();
    this.bound = await this.sources.acquirePrimary();
    this.boundToReplica = false;
    return this.bound;
  }
}
