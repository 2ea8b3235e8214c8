import type { CheckResult } from '../check-result.js';

/**
 * Prints a check's notes and problems and sets the exit code: 1 when anything failed.
 * The last line is `<title>: N passed, N failed`-free on purpose; CI counts test runners'
 * lines, not these.
 *
 * @example
 * reportCheckResult('API contract', await checkApiContract({ rootDirectory }));
 */
export function reportCheckResult(title: string, result: CheckResult): void {
  for (const note of result.notes) console.log(`  ${note}`);
  if (result.problems.length === 0) {
    console.log(`✔ ${title}: ok`);
    return;
  }
  console.error(`✘ ${title}: ${result.problems.length} problem(s)`);
  for (const problem of result.problems) console.error(`  - ${problem}`);
  process.exitCode = 1;
}
