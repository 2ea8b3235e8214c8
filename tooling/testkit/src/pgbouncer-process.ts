import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './embedded-server.js';
import { dataDirectoryPrefix } from './naming.js';
import { postgresProcessIdentity } from './postgres-binaries.js';

/** Options of `startPgBouncer`. */
export interface PgBouncerOptions {
  /**
   * Superuser URL of the PostgreSQL server to pool. Its user becomes PgBouncer's
   * `auth_user`: every other role's password is looked up with `auth_query`, so roles created
   * after PgBouncer started (per-test roles) can log in without touching its files.
   */
  readonly serverUrl: string;
  /** Default `transaction`: the mode that breaks session state, so the one worth testing. */
  readonly poolMode?: 'session' | 'transaction' | 'statement';
  /** Server connections per (database, user) pair. Default 20. */
  readonly defaultPoolSize?: number;
  /** Client connections PgBouncer accepts in total. Default 2 000. */
  readonly maxClientConnections?: number;
  /**
   * Startup parameters PgBouncer accepts and drops instead of refusing the connection.
   * Default: `extra_float_digits` plus the three timeouts db-core sends in its default
   * `startup-parameters` mode, so such clients still connect (their timeouts do NOT apply
   * through PgBouncer; `sessionSettings: 'transaction-local'` is the mode that works).
   */
  readonly ignoreStartupParameters?: readonly string[];
}

/** A PgBouncer process on a free loopback port, owned by this test run. */
export interface PgBouncerProcess {
  readonly port: number;
  /** The pid of the pgbouncer process. */
  readonly pid: number;
  /** `url` with host and port replaced by PgBouncer's (user, password and database kept). */
  routeThrough(url: string): string;
  /** The last lines PgBouncer logged, for diagnosing a failure. */
  recentLogs(): string;
  /** Stops PgBouncer (immediate shutdown) and deletes its files. Safe to call twice. */
  stop(): Promise<void>;
}

const defaultIgnoredStartupParameters = [
  'extra_float_digits',
  'statement_timeout',
  'idle_in_transaction_session_timeout',
  'lock_timeout',
];

/** The `pgbouncer` executable on PATH, or undefined when it is not installed. */
export function findPgBouncer(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function quoteUserlistValue(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

async function waitForPort(port: number, child: ChildProcess, logs: () => string, timeoutMillis: number): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited with code ${child.exitCode}:\n${logs()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`pgbouncer did not listen on ${port} in time:\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts Debian's `pgbouncer` in front of a PostgreSQL server, listening on a free loopback
 * port with a generated ini and userlist in a temporary directory. Clients authenticate with
 * SCRAM against the server's own password hashes (`auth_query` through the superuser), and
 * PgBouncer reuses the client's SCRAM keys to log in to the server, so no password of a test
 * role is ever written to disk. As root it runs as the `postgres` user (PgBouncer refuses to
 * run as root).
 *
 * @example
 * const bouncer = await startPgBouncer({ serverUrl: adminUrl });
 * const db = createDb({ connectionString: bouncer.routeThrough(database.appUrl), sessionSettings: 'transaction-local' });
 * await bouncer.stop();
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncerProcess> {
  const executable = findPgBouncer();
  if (!executable) throw new Error('pgbouncer is not installed (apt-get install -y pgbouncer)');
  const server = new URL(options.serverUrl);
  const authUser = decodeURIComponent(server.username) || 'postgres';
  const authPassword = decodeURIComponent(server.password);
  const port = await findFreePort();
  const directory = mkdtempSync(join(tmpdir(), `${dataDirectoryPrefix}${process.pid}-pgbouncer-`));
  const identity = postgresProcessIdentity();
  const ignored = options.ignoreStartupParameters ?? defaultIgnoredStartupParameters;
  const ini = [
    '[databases]',
    // A wildcard entry: every database name is forwarded to the same server.
    `* = host=${server.hostname} port=${server.port || '5432'}`,
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = scram-sha-256',
    `auth_file = ${join(directory, 'userlist.txt')}`,
    `auth_user = ${authUser}`,
    'auth_query = SELECT usename, passwd FROM pg_catalog.pg_shadow WHERE usename = $1',
    `pool_mode = ${options.poolMode ?? 'transaction'}`,
    `default_pool_size = ${options.defaultPoolSize ?? 20}`,
    `max_client_conn = ${options.maxClientConnections ?? 2_000}`,
    ...(ignored.length > 0 ? [`ignore_startup_parameters = ${ignored.join(',')}`] : []),
    // Retry a failed server login quickly (default 15 s) so a restarted server is picked up.
    'server_login_retry = 1',
    `admin_users = ${authUser}`,
    'log_connections = 0',
    'log_disconnections = 0',
    '',
  ].join('\n');
  writeFileSync(join(directory, 'pgbouncer.ini'), ini);
  writeFileSync(join(directory, 'userlist.txt'), `${quoteUserlistValue(authUser)} ${quoteUserlistValue(authPassword)}\n`);
  if (identity.uid !== undefined) {
    execFileSync('chown', ['-R', `${identity.uid}:${identity.gid}`, directory]);
  }
  chmodSync(directory, 0o700);

  const logLines: string[] = [];
  const child = spawn(executable, [join(directory, 'pgbouncer.ini')], { ...identity, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer) => {
    logLines.push(...chunk.toString().split('\n').filter(Boolean));
    if (logLines.length > 200) logLines.splice(0, logLines.length - 200);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const recentLogs = () => logLines.slice(-40).join('\n');
  // Synchronous, so it also runs when the test process exits without its teardown.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, recentLogs, 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    pid: child.pid!,
    routeThrough(url: string) {
      const routed = new URL(url);
      routed.hostname = '127.0.0.1';
      routed.port = String(port);
      return routed.toString();
    },
    recentLogs,
    stop,
  };
}
