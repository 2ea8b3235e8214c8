import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The built `strata-migrate` bin of the workspace's @strata/db-migrate. */
export function migrateCliPath(): string {
  const packageJson = createRequire(import.meta.url).resolve('@strata/db-migrate/package.json');
  const cli = join(dirname(packageJson), 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build @strata/db-migrate first (pnpm test:reliability does)`);
  return cli;
}

/** A running `strata-migrate` process. */
export interface MigrateCliProcess {
  readonly child: ChildProcess;
  /** Resolves when the process exits (also after SIGKILL). */
  readonly finished: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Starts `strata-migrate <args>` in its own Node process with `DATABASE_URL` set, so it can
 * be killed like a real deploy step.
 *
 * @example
 * const run = startMigrateCli(['up', '--dir', directory, '--json'], database.directOwnerUrl);
 * run.child.kill('SIGKILL');
 */
export function startMigrateCli(args: readonly string[], databaseUrl: string): MigrateCliProcess {
  const child = spawn(process.execPath, [migrateCliPath(), ...args], {
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
  return { child, finished };
}
