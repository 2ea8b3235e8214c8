import type pg from 'pg';
import { driverConnectionString, parseConnectionString } from './connection-string.js';
import { ConfigurationError } from './errors/configuration-error.js';
import type { PipelineStatement } from './pipelined-query.js';

/**
 * How session settings (statement_timeout, idle_in_transaction_session_timeout,
 * lock_timeout) reach the server.
 *
 * - `startup-parameters`: sent once per connection in the startup message. Free, but
 *   PgBouncer refuses unknown startup parameters (unless `ignore_startup_parameters`) and
 *   in transaction pooling mode a session setting would not follow your transaction.
 * - `transaction-local`: sent as `set_config(…, true)` in the same pipeline as every
 *   transaction's BEGIN and before every autocommit statement: no extra round trip, works
 *   behind any pooler. Statements that refuse to run in a pipeline (CREATE DATABASE,
 *   VACUUM, CREATE INDEX CONCURRENTLY) need a direct connection in this mode.
 */
export type SessionSettingsMode = 'startup-parameters' | 'transaction-local';

/**
 * Configuration of `createDb`. Give a `connectionString` or the discrete fields; every
 * timeout has a finite production default and can be overridden.
 */
export interface CreateDbConfig {
  /** `postgres://user:password@host:port/database?sslmode=…`; validated, never logged raw. */
  readonly connectionString?: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  /** A password or a function returning one (e.g. short-lived IAM tokens). */
  readonly password?: string | (() => string | Promise<string>);
  readonly ssl?: pg.PoolConfig['ssl'];
  /** Maximum pooled connections. Default 10. */
  readonly max?: number;
  /**
   * How long a caller waits for a connection (pool slot or new connection) before a
   * `PoolTimeoutError`. Default 5 000 ms: an exhausted pool fails fast, it never hangs.
   */
  readonly connectionTimeoutMillis?: number;
  /** Idle connections are closed after this long. Default 10 000 ms. */
  readonly idleTimeoutMillis?: number;
  /** Connections are recycled after this many seconds (rebalancing after failover). Default 1 800. */
  readonly maxLifetimeSeconds?: number;
  /** TCP keepalive on every connection. Default true, first probe after 10 000 ms. */
  readonly keepAlive?: boolean;
  readonly keepAliveInitialDelayMillis?: number;
  /** Shown in pg_stat_activity. Default `strata`. */
  readonly applicationName?: string;
  /** Server-side statement timeout. Default 30 000 ms; 0 disables it. */
  readonly statementTimeoutMillis?: number;
  /** Kill sessions idle inside a transaction for this long. Default 60 000 ms; 0 disables. */
  readonly idleInTransactionTimeoutMillis?: number;
  /** Lock wait timeout. Default unset (server default). */
  readonly lockTimeoutMillis?: number;
  /**
   * See `SessionSettingsMode`. Default `startup-parameters`, or `transaction-local` when the
   * connection string carries `?pgbouncer=true`.
   */
  readonly sessionSettings?: SessionSettingsMode;
  /**
   * Called for errors that happen outside any query, e.g. an idle connection whose backend
   * was terminated. The connection is discarded either way; the process never crashes.
   * Default: a one-line warning on stderr (password-free).
   */
  readonly onBackgroundError?: (error: Error) => void;
  /** `pg` type parsers for this pool only. */
  readonly types?: pg.CustomTypesConfig;
  /** `pg-cursor` constructor, needed only for Kysely's `.stream()`. */
  readonly cursor?: unknown;
  /**
   * Connection strings of read replicas. Plain reads built with the query builder, outside
   * any transaction, go to a healthy replica (round-robin); everything else goes to the
   * primary. Each replica gets a pool with the same settings as the primary.
   */
  readonly replicas?: readonly string[];
  /** How long a replica that failed to connect is skipped. Default 5 000 ms. */
  readonly replicaRecoveryMillis?: number;
}

/** The effective configuration after defaults, with the password kept out of it. */
export interface ResolvedEngineConfig {
  readonly poolConfig: pg.PoolConfig;
  readonly sessionSettings: SessionSettingsMode;
  /** One pool configuration per replica (same settings, other target). */
  readonly replicaPoolConfigs: readonly pg.PoolConfig[];
  readonly replicaRecoveryMillis: number;
  readonly localSettings: readonly PipelineStatement[];
  /** Connection target with the password redacted, for logs and error messages. */
  readonly redactedTarget: string;
}

export const engineDefaults = {
  max: 10,
  connectionTimeoutMillis: 5_000,
  idleTimeoutMillis: 10_000,
  maxLifetimeSeconds: 1_800,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  applicationName: 'strata',
  statementTimeoutMillis: 30_000,
  idleInTransactionTimeoutMillis: 60_000,
  sessionSettings: 'startup-parameters' as SessionSettingsMode,
} as const;

function requireCount(name: string, value: number | undefined, fallback: number, minimum: number): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < minimum) {
    throw new ConfigurationError(`${name} must be an integer ≥ ${minimum}, got ${String(value)}`);
  }
  return resolved;
}

/**
 * Applies defaults and validates every option before anything connects. Throws
 * `ConfigurationError` with a password-free message.
 */
export function resolveEngineConfig(config: CreateDbConfig): ResolvedEngineConfig {
  if (!config || typeof config !== 'object') throw new ConfigurationError('createDb needs a configuration object');
  const target = config.connectionString !== undefined ? parseConnectionString(config.connectionString) : undefined;
  const statementTimeout = requireCount('statementTimeoutMillis', config.statementTimeoutMillis, engineDefaults.statementTimeoutMillis, 0);
  const idleInTransactionTimeout = requireCount(
    'idleInTransactionTimeoutMillis',
    config.idleInTransactionTimeoutMillis,
    engineDefaults.idleInTransactionTimeoutMillis,
    0,
  );
  const lockTimeout = config.lockTimeoutMillis === undefined ? undefined : requireCount('lockTimeoutMillis', config.lockTimeoutMillis, 0, 0);
  // `?pgbouncer=true` in the URL means a transaction pooler: default to pooler-safe settings.
  const mode = config.sessionSettings ?? (target?.pgbouncer ? 'transaction-local' : engineDefaults.sessionSettings);
  if (mode !== 'startup-parameters' && mode !== 'transaction-local') {
    throw new ConfigurationError(`sessionSettings must be 'startup-parameters' or 'transaction-local', got ${String(mode)}`);
  }
  const applicationName = config.applicationName ?? engineDefaults.applicationName;
  if (typeof applicationName !== 'string' || applicationName.length > 63) {
    throw new ConfigurationError('applicationName must be a string of at most 63 characters');
  }
  const settings: Array<[string, number]> = [
    ['statement_timeout', statementTimeout],
    ['idle_in_transaction_session_timeout', idleInTransactionTimeout],
    ...(lockTimeout === undefined ? [] : ([['lock_timeout', lockTimeout]] as Array<[string, number]>)),
  ];

  const poolConfig: pg.PoolConfig = {
    ...(target ? { connectionString: driverConnectionString(config.connectionString!) } : {}),
    ...(config.host !== undefined ? { host: config.host } : {}),
    ...(config.port !== undefined ? { port: requireCount('port', config.port, 5432, 1) } : {}),
    ...(config.database !== undefined ? { database: config.database } : {}),
    ...(config.user !== undefined ? { user: config.user } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(config.ssl !== undefined ? { ssl: config.ssl } : {}),
    ...(config.types !== undefined ? { types: config.types } : {}),
    max: requireCount('max', config.max, engineDefaults.max, 1),
    connectionTimeoutMillis: requireCount('connectionTimeoutMillis', config.connectionTimeoutMillis, engineDefaults.connectionTimeoutMillis, 1),
    idleTimeoutMillis: requireCount('idleTimeoutMillis', config.idleTimeoutMillis, engineDefaults.idleTimeoutMillis, 0),
    maxLifetimeSeconds: requireCount('maxLifetimeSeconds', config.maxLifetimeSeconds, engineDefaults.maxLifetimeSeconds, 0),
    keepAlive: config.keepAlive ?? engineDefaults.keepAlive,
    keepAliveInitialDelayMillis: requireCount(
      'keepAliveInitialDelayMillis',
      config.keepAliveInitialDelayMillis,
      engineDefaults.keepAliveInitialDelayMillis,
      0,
    ),
    application_name: applicationName,
    ...(mode === 'startup-parameters'
      ? Object.fromEntries(settings.filter(([, value]) => value > 0).map(([name, value]) => [name, value]))
      : {}),
  };
  const localSettings: PipelineStatement[] =
    mode === 'transaction-local'
      ? settings.map(([name, value]) => ({ text: 'select set_config($1, $2, true)', values: [name, `${value}ms`] }))
      : [];
  const replicas = config.replicas ?? [];
  if (!Array.isArray(replicas)) throw new ConfigurationError('replicas must be an array of connection strings');
  const replicaPoolConfigs = replicas.map((replica) => {
    parseConnectionString(replica);
    const { host: _host, port: _port, database: _database, user: _user, password: _password, ...shared } = poolConfig;
    return { ...shared, connectionString: driverConnectionString(replica) };
  });
  const replicaRecoveryMillis = requireCount('replicaRecoveryMillis', config.replicaRecoveryMillis, 5_000, 0);
  const redactedTarget = target
    ? target.redacted
    : `postgres://${config.user ?? ''}@${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`;
  return { poolConfig, sessionSettings: mode, replicaPoolConfigs, replicaRecoveryMillis, localSettings, redactedTarget };
}
