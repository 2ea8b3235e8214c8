import { ConfigurationError, createDb, redactSecrets, type StrataDb } from '@strata/db-core';
import type pg from 'pg';
import { MigrationConnectionError } from '../errors/migration-connection-error.js';

/**
 * How the runner reaches the database: a connection string (the runner opens and closes its
 * own small pool), an existing `pg.Pool`, or a `@strata/db-core` database (its pool is used).
 * Migrations need a direct or session-pooled connection: the advisory lock is a session lock.
 */
export interface MigrationConnectionOptions {
  readonly connectionString?: string | undefined;
  readonly pool?: pg.Pool | undefined;
  readonly db?: { readonly pool: pg.Pool } | undefined;
}

/** A resolved connection target. */
export interface ConnectionTarget {
  readonly pool: pg.Pool;
  /** Where the runner connects, password redacted. */
  readonly description: string;
  /** Closes the pool when the runner opened it; leaves a caller's pool alone. */
  close(): Promise<void>;
}

function describePool(pool: pg.Pool): string {
  const options = pool.options as pg.PoolConfig;
  if (typeof options.connectionString === 'string') return redactSecrets(options.connectionString);
  return `postgres://${options.user ?? ''}@${options.host ?? 'localhost'}:${options.port ?? 5432}/${options.database ?? ''}`;
}

/**
 * Resolves the connection options. With a connection string, the pool is made by
 * `@strata/db-core`'s `createDb` (validated URL, error listeners, no password in errors)
 * with the statement and idle-in-transaction timeouts off: a migration may legitimately run
 * for a long time, and the lock wait is bounded by the runner's own `lockTimeoutMillis`.
 */
export function resolveConnectionTarget(options: MigrationConnectionOptions): ConnectionTarget {
  const given = [options.connectionString, options.pool, options.db].filter((value) => value !== undefined).length;
  if (given !== 1) throw new ConfigurationError('Give exactly one of connectionString, pool or db to the migrator.');
  if (options.pool) return { pool: options.pool, description: describePool(options.pool), close: async () => undefined };
  if (options.db) {
    const db = options.db as Partial<StrataDb<unknown>> & { pool: pg.Pool };
    if (!db.pool || typeof db.pool.connect !== 'function') {
      throw new ConfigurationError('The db given to the migrator has no pg pool (`db.pool`); pass a @strata/db-core database, a pg.Pool or a connectionString.');
    }
    return { pool: db.pool, description: db.redactedTarget ?? describePool(db.pool), close: async () => undefined };
  }
  const db = createDb({
    connectionString: options.connectionString,
    max: 2,
    applicationName: 'strata-migrate',
    statementTimeoutMillis: 0,
    idleInTransactionTimeoutMillis: 0,
    connectionTimeoutMillis: 10_000,
    onBackgroundError: () => undefined,
  });
  return {
    pool: db.pool,
    description: db.redactedTarget,
    // db-core's close() ends the pool even though the runner only used it directly.
    close: () => db.close(),
  };
}

/** SQLSTATE of "database does not exist". */
export const undefinedDatabase = '3D000';

/** The SQLSTATE of an error or of the pg error it wraps. */
export function sqlStateOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 3; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A password-free connection error naming the target. */
export function connectionError(target: ConnectionTarget, error: unknown): MigrationConnectionError {
  const reason = redactSecrets(error instanceof Error ? error.message : String(error));
  return new MigrationConnectionError(`Cannot connect to ${target.description}: ${reason}`, error);
}

/**
 * Checks out the runner's one dedicated connection. pg-pool removes its error listener
 * while a client is lent out, so one is attached here: a backend dying mid-run must fail
 * the run, not crash the process.
 */
export async function checkoutConnection(target: ConnectionTarget): Promise<pg.PoolClient> {
  let client: pg.PoolClient;
  try {
    client = await target.pool.connect();
  } catch (error) {
    throw connectionError(target, error);
  }
  client.on('error', ignoreError);
  return client;
}

function ignoreError(): void {}

/** Returns the dedicated connection; a broken one is destroyed instead of reused. */
export function releaseConnection(client: pg.PoolClient, broken: boolean): void {
  client.off('error', ignoreError);
  client.release(broken ? true : undefined);
}
