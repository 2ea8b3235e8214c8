import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/**
 * Runs in a fresh Node process: imports the entry point, calls (or constructs) the
 * deprecated export twice and counts the DeprecationWarnings that mention its name.
 * Arguments are expected to be invalid; what matters is that the warning is emitted at
 * the very start of the call, before validation, and only once per process.
 */
const probeSource = `
const { STRATA_PROBE_URL: url, STRATA_PROBE_NAME: name, STRATA_PROBE_KIND: kind } = process.env;
let count = 0;
process.on('warning', (warning) => {
  if (warning.name === 'DeprecationWarning' && warning.message.includes(name)) count += 1;
});
const namespace = await import(url);
const value = namespace[name];
const invoke = async () => {
  try {
    const result = kind === 'class' ? new value() : value();
    if (result && typeof result.then === 'function') {
      await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 200))]);
    }
  } catch {
    // Invalid arguments are expected: only the warning matters.
  }
};
await invoke();
await invoke();
await new Promise((resolve) => setTimeout(resolve, 20));
process.stdout.write(JSON.stringify({ count }));
process.exit(0);
`;

/**
 * Counts the deprecation warnings a deprecated function or class emits when used twice.
 * Returns the count (1 is correct: once per process), or an error message.
 *
 * @example
 * const outcome = probeDeprecationWarning('/repo/packages/db-core/dist/index.js', 'oldCreateDb', 'function');
 * if (outcome.count !== 1) throw new Error('oldCreateDb must warn exactly once');
 */
export function probeDeprecationWarning(
  esmFile: string,
  name: string,
  kind: 'function' | 'class',
): { count: number } | { error: string } {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', probeSource], {
    encoding: 'utf8',
    timeout: 15_000,
    env: {
      PATH: process.env.PATH ?? '',
      STRATA_PROBE_URL: pathToFileURL(esmFile).href,
      STRATA_PROBE_NAME: name,
      STRATA_PROBE_KIND: kind,
    },
  });
  if (run.status !== 0) return { error: (run.stderr || run.error?.message || 'probe failed').trim().split('\n')[0] ?? '' };
  try {
    return JSON.parse(run.stdout) as { count: number };
  } catch {
    return { error: `unexpected probe output: ${run.stdout.slice(0, 200)}` };
  }
}
