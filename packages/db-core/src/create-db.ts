import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type KyselyPlugin, type LogConfig } from 'kysely';
import pg from 'pg';
import { redactSecrets } from './connection-string.js';
import { resolveEngineConfig, type CreateDbConfig } from './engine-config.js';
import { toStrataError } from './errors/error-mapping.js';
import type { StrataError } from './errors/strata-error.js';
import { ReplicaSet } from './replica-set.js';
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

function strataDialect(driver: StrataDriver) {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db: Kysely<any>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

/**
 * A typed Kysely instance over a production-configured `pg.Pool`. It is a real `Kysely<DB>`
 * (every query builder works) plus the pool, health helpers and `close()`.
 */
export class StrataDb<DB> extends Kysely<DB> {
  /** The underlying pool of the primary, for code that needs raw `pg` (LISTEN, COPY…). */
  readonly pool: pg.Pool;
  /** The pools of the read replicas (empty without replicas). */
  readonly replicaPools: readonly pg.Pool[];
  /**
   * The same database with every query on the primary: for reads that must see your own
   * latest writes when replicas are configured. Without replicas it is this instance.
   */
  readonly primary: Kysely<DB>;
  /** The connection target with the password redacted: safe to log. */
  readonly redactedTarget: string;
  private closing: Promise<void> | undefined;

  /** Use `createDb()`. */
  constructor(
    pool: pg.Pool,
    replicas: ReplicaSet | undefined,
    connectionOptions: StrataConnectionOptions,
    redactedTarget: string,
    options: CreateDbOptions,
  ) {
    const kyselyOptions = {
      ...(options.plugins ? { plugins: options.plugins } : {}),
      ...(options.log ? { log: options.log } : {}),
    };
    super({ dialect: strataDialect(new StrataDriver(pool, connectionOptions, replicas, true)), ...kyselyOptions });
    this.pool = pool;
    this.replicaPools = replicas?.pools ?? [];
    this.primary = replicas
      ? new Kysely<DB>({ dialect: strataDialect(new StrataDriver(pool, connectionOptions, undefined, false)), ...kyselyOptions })
      : this;
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
    this.closing ??= this.destroy().then(async () => {
      // Kysely only destroys a driver it has initialised (i.e. after a first query), and
      // code may have used `db.pool` directly: end whatever is still open.
      await Promise.all([this.pool, ...this.replicaPools].filter((pool) => !pool.ended).map((pool) => pool.end()));
    });
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
  const onBackgroundError = config.onBackgroundError ?? defaultBackgroundErrorHandler;
  const report = (error: Error) => {
    try {
      onBackgroundError(toStrataError(error));
    } catch {
      // A throwing handler must not turn a survivable error into a crash.
    }
  };
  const pool = createGuardedPool(resolved.poolConfig, report);
  const replicas =
    resolved.replicaPoolConfigs.length > 0
      ? new ReplicaSet(
          resolved.replicaPoolConfigs.map((replicaConfig) => createGuardedPool(replicaConfig, report)),
          resolved.replicaRecoveryMillis,
        )
      : undefined;
  const connectionOptions: StrataConnectionOptions = {
    localSettings: resolved.localSettings,
    prepareContextStatements: resolved.sessionSettings === 'startup-parameters',
    cursor: config.cursor as StrataConnectionOptions['cursor'],
  };
  return new StrataDb<DB>(pool, replicas, connectionOptions, resolved.redactedTarget, config);
}

/** A pool whose idle and checked-out clients can never crash the process with an error. */
function createGuardedPool(poolConfig: pg.PoolConfig, report: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool(poolConfig);
  hideSecrets(pool.options as unknown as Record<string, unknown>);
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
  return pool;
}

/** Keeps the password out of `console.log(db.pool.options)` and error reporters' dumps. */
function hideSecrets(options: Record<string, unknown>): void {
  for (const key of ['connectionString', 'password']) {
    if (key in options) Object.defineProperty(options, key, { enumerable: false });
  }
}
