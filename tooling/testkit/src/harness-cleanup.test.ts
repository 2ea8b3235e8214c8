import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeStaleDataDirectories } from './embedded-server.js';
import { dataDirectoryPrefix, isProcessAlive } from './naming.js';

const fixtureConfig = join(dirname(fileURLToPath(import.meta.url)), 'interrupt-fixture', 'vitest.config.ts');

/** Data directories created by the vitest process `pid`. */
function dataDirectoriesOf(pid: number): string[] {
  return readdirSync(tmpdir())
    .filter((entry) => entry.startsWith(`${dataDirectoryPrefix}${pid}-`))
    .map((entry) => join(tmpdir(), entry))
    // Only server folders (a PgBouncer's working folder shares the prefix).
    .filter((directory) => existsSync(join(directory, 'data')));
}

function postmasterPidOf(directory: string): number | undefined {
  const pidFile = join(directory, 'data', 'postmaster.pid');
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
}

/** Starts the fixture run on its own embedded server and resolves once its test is running. */
async function startFixtureRun(): Promise<ChildProcess> {
  const environment = { ...process.env };
  delete environment.DATABASE_URL;
  delete environment.STRATA_TEST_PGBOUNCER;
  const child = spawn(process.execPath, [join(process.cwd(), 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', fixtureConfig], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fixture run did not start in time')), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('FIXTURE_READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => reject(new Error('fixture run exited before it was ready')));
  });
  return child;
}

async function waitUntil(condition: () => boolean, timeoutMillis: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe('embedded server cleanup', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stops the server and deletes its data directory when the run gets %s', async (signal) => {
    const child = await startFixtureRun();
    const [directory] = dataDirectoriesOf(child.pid!);
    expect(directory).toBeDefined();
    const postmaster = postmasterPidOf(directory!);
    expect(postmaster && isProcessAlive(postmaster)).toBe(true);
    child.kill(signal);
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await waitUntil(() => !existsSync(directory!), 20_000)).toBe(true);
    expect(await waitUntil(() => !isProcessAlive(postmaster!), 20_000)).toBe(true);
  }, 150_000);

  it('cleans up after a run killed with SIGKILL on the next start', async () => {
    const child = await startFixtureRun();
    const [directory] = dataDirectoriesOf(child.pid!);
    const postmaster = postmasterPidOf(directory!);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // SIGKILL skips every teardown: the server and its folder are still there…
    expect(existsSync(directory!)).toBe(true);
    // …until the next run starts, which removes what dead runs left behind.
    removeStaleDataDirectories();
    expect(existsSync(directory!)).toBe(false);
    expect(await waitUntil(() => !isProcessAlive(postmaster!), 20_000)).toBe(true);
  }, 150_000);
});
