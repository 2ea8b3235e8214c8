import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The built `strata-migrate` bin (turbo builds the package before its tests). */
export const builtCli = resolve(import.meta.dirname, '../../dist/cli.js');

/** The output of one CLI process. */
export interface CliProcessResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI in its own Node process. */
export async function runBuiltCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliProcessResult> {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run "pnpm --filter @strata/db-migrate build" first`);
  return await new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [builtCli, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolvePromise({ exitCode, stdout, stderr }));
  });
}
