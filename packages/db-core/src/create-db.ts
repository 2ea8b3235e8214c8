import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type KyselyPlugin, type LogConfig } from 'kysely';
import pg from 'pg';
import { redactSecrets } from './connection-string.js';
import { resolveEngineConfig, type CreateDbConfig } from './engine-config.js';
import { toStrataError } from './errors/error-mapping.js';
import type { StrataError } from './errors/strata-error.js';
import type { StrataConnectionOptions } from './strata-connection.js';
import { StrataDriver } from './strata-driver.js';

/** Pool occupancy, for metrics and health endpoints. */
export interface PoolStats {
  /** Open connections (idle + checked out). */
  readonly total: number;
  readonly idle: number;
  /** Callers waiting for a connection. */
  readonly waiting: number;
  /** The configured maximum. */
  readonly max: number;
}

/** The outcome of `db.ping()`: never throws, so a health route can report it as is. */
export type PingResult =
  | { readonly ok: true; readonly latencyMillis: number }
  | { readonly ok: false; readonly latencyMillis: number; readonly error: StrataError };

/** Extra options of `createDb` that configure Kysely rather than the pool. */
export interface CreateDbOptions extends CreateDbConfig {
  readonly plugins?: KyselyPlugin[];
  readonly log?: LogConfig;
}

/**
 * A typed Kysely instance over a production-configured `pg.Pool`. It is a real `Kysely<DB>`
 * (every query builder works) plus the pool, health helpers and `close()`.
 */
export class StrataDb<DB> extends Kysely<DB> {
  /** The underlying pool, for code that needs raw `pg` (LISTEN, COPY…). */
  readonly pool: pg.Pool;
  /** The connection target with the password redacted: safe to log. */
  readonly redactedTarget: string;
  private closing: Promise<void> | undefined;

  /** Use `createDb()`. */
  constructor(pool: pg.Pool, connectionOptions: StrataConnectionOptions, redactedTarget: string, options: CreateDbOptions) {
    super({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new StrataDriver(pool, connectionOptions),
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
      ...(options.plugins ? { plugins: options.plugins } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    this.pool = pool;
    this.redactedTarget = redactedTarget;
  }

  /**
   * Runs `select 1` on a pooled connection and reports the round-trip latency. Never throws:
   * failures come back as `{ ok: false, error }` with a typed, password-free error.
   *
   * @example
   * const health = await db.ping();
   * if (!health.ok) console.error(health.error.message);
   */
  async ping(options: { timeoutMillis?: number } = {}): Promise<PingResult> {
    const started = performance.now();
    const timeoutMillis = options.timeoutMillis ?? 2_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.pool.query('select 1'),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`ping timed out after ${timeoutMillis} ms`)), timeoutMillis);
        }),
      ]);
      return { ok: true, latencyMillis: performance.now() - started };
    } catch (error) {
      return { ok: false, latencyMillis: performance.now() - started, error: toStrataError(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Current pool occupancy.
   *
   * @example
   * const { total, idle, waiting } = db.poolStats();
   */
  poolStats(): PoolStats {
    return {
      total: this.pool.totalCount,
      idle: this.pool.idleCount,
      waiting: this.pool.waitingCount,
      max: this.pool.options.max ?? 10,
    };
  }

  /**
   * Closes the pool: waits for checked-out connections to be released, then disconnects.
   * Safe to call more than once.
   *
   * @example
   * process.on('SIGTERM', () => void db.close());
   */
  async close(): Promise<void> {
    this.closing ??= this.destroy();
    await this.closing;
  }
}

function ignoreClientError(): void {}

function defaultBackgroundErrorHandler(error: Error): void {
  console.warn(`[strata] database connection error outside a query (connection discarded): ${redactSecrets(error.message)}`);
}

/**
 * Creates a typed Kysely instance over a `pg.Pool` with production defaults: bounded waits
 * for connections, keepalive, connection recycling, `application_name`, server-side
 * statement and idle-in-transaction timeouts, and error listeners on the pool and on every
 * connection so a dying backend never crashes the process. Nothing connects until the
 * first query.
 *
 * @example
 * interface Database { notes: { id: string; tenant_id: string; body: string } }
 * const db = createDb<Database>({ connectionString: process.env.DATABASE_URL });
 * const notes = await db.selectFrom('notes').selectAll().execute();
 * await db.close();
 */
export function createDb<DB>(config: CreateDbOptions): StrataDb<DB> {
  const resolved = resolveEngineConfig(config);
  const pool = new pg.Pool(resolved.poolConfig);
  hideSecrets(pool.options as unknown as Record<string, unknown>);
  const onBackgroundError = config.onBackgroundError ?? defaultBackgroundErrorHandler;
  const report = (error: Error) => {
    try {
      onBackgroundError(toStrataError(error));
    } catch {
      // A throwing handler must not turn a survivable error into a crash.
    }
  };
  // Idle clients: pg-pool emits 'error' on the pool; without a listener Node would crash.
  pool.on('error', report);
  // Checked-out clients: pg-pool removes its own listener while a client is lent out, so a
  // backend dying mid-checkout would emit an unhandled 'error' and crash the process. Each
  // client gets a permanent listener. It reports nothing itself: while idle, pg-pool's
  // listener reports through the pool 'error' above; while lent, the failing query rejects
  // with a ConnectionError and the driver discards the client on release.
  pool.on('connect', (client) => {
    client.on('error', ignoreClientError);
  });
  const connectionOptions: StrataConnectionOptions = {
    localSettings: resolved.localSettings,
    cursor: config.cursor as StrataConnectionOptions['cursor'],
  };
  return new StrataDb<DB>(pool, connectionOptions, resolved.redactedTarget, config);
}

/** Keeps the password out of `console.log(db.pool.options)` and error reporters' dumps. */
function hideSecrets(options: Record<string, unknown>): void {
  for (const key of ['connectionString', 'password']) {
    if (key in options) Object.defineProperty(options, key, { enumerable: false });
  }
}
