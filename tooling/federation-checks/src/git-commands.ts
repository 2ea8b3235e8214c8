import { execFileSync } from 'node:child_process';

/**
 * Runs git in `directory` and returns its trimmed standard output.
 *
 * @example
 * git('/work/main', ['rev-parse', 'HEAD']);
 */
export function git(directory: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd: directory, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * Like {@link git}, but returns undefined instead of throwing (an unknown ref, no commits).
 *
 * @example
 * gitOrUndefined(root, ['rev-parse', '--verify', '--quiet', 'origin/main']);
 */
export function gitOrUndefined(directory: string, args: readonly string[]): string | undefined {
  try {
    return git(directory, args);
  } catch {
    return undefined;
  }
}
