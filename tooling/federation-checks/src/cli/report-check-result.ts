import type { CheckResult } from '../check-result.js';

/**
 * Prints a check's notes, then ✔ or ✘ with every problem, and sets the exit code to 1
 * when anything failed.
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
