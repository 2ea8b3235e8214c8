import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';
import { isFullScale, reliabilityScale } from '../load/suite-scale.js';
import { renderReliabilityDocument, renderResultTable } from './report-markdown.js';
import { readSuiteResult, type SuiteResult } from './suite-result.js';

/** The suites a run must cover before it may rewrite docs/reliability.md. */
export const suiteOrder = ['Isolation under load', 'Faults', 'Migrations under pressure', 'Hostile input', 'Secrets at rest'] as const;

/** The command documented for reproducing the figures. */
export const reproduceCommand = 'pnpm test:reliability';

const documentPath = resolve(import.meta.dirname, '../../../../docs/reliability.md');

function pgBouncerVersion(): string | undefined {
  try {
    return execFileSync('pgbouncer', ['--version'], { encoding: 'utf8' }).split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
}

function collectResults(testModules: ReadonlyArray<TestModule>): SuiteResult[] {
  const results: SuiteResult[] = [];
  for (const testModule of testModules) {
    for (const testCase of testModule.children.allTests()) {
      const result = readSuiteResult(testCase.meta());
      if (result) results.push(result);
    }
  }
  const rank = (suite: string) => {
    const index = (suiteOrder as readonly string[]).indexOf(suite);
    return index === -1 ? suiteOrder.length : index;
  };
  return results.sort((left, right) => rank(left.suite) - rank(right.suite));
}

/**
 * Collects the figures every scenario attached to its test (`recordSuiteResult`), prints the
 * summary table, and — on a full-scale, passing run that covered every suite — rewrites
 * docs/reliability.md, so the published figures always come from the suite itself.
 */
export class ReliabilityReporter implements Reporter {
  private startedAt = new Date();

  onInit(): void {
    this.startedAt = new Date();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const results = collectResults(testModules);
    if (results.length === 0) return;
    const passed = reason === 'passed' && unhandledErrors.length === 0;
    process.stdout.write(`\nReliability summary (scale ${reliabilityScale()}):\n\n${renderResultTable(results)}\n\n`);
    const covered = suiteOrder.every((suite) => results.some((result) => result.suite === suite));
    if (!isFullScale() || !passed || !covered) {
      process.stdout.write(
        `docs/reliability.md not rewritten (${[!isFullScale() ? 'shortened run' : '', !passed ? 'run did not pass' : '', !covered ? 'not every suite ran' : '']
          .filter(Boolean)
          .join(', ')}).\n`,
      );
      return;
    }
    writeFileSync(
      documentPath,
      renderReliabilityDocument(results, {
        command: reproduceCommand,
        scale: reliabilityScale(),
        startedAt: this.startedAt,
        durationMillis: Date.now() - this.startedAt.getTime(),
        nodeVersion: process.versions.node,
        cpuCount: availableParallelism(),
        pgBouncerVersion: pgBouncerVersion(),
        passed,
      }),
    );
    process.stdout.write(`docs/reliability.md rewritten from this run.\n`);
  }
}
