/** What one reliability scenario did and found: one row of docs/reliability.md. */
export interface SuiteResult {
  /** Which suite the scenario belongs to, e.g. `Isolation under load`. */
  readonly suite: string;
  /** The scenario, e.g. `direct, pool of 8`. */
  readonly scenario: string;
  /** Operations performed (tenant-scoped statements, requests, runs, generated inputs…). */
  readonly operations: number;
  /** Operations in flight at once. */
  readonly concurrency: number;
  /** Faults injected: restarts, terminated backends, SIGKILLs, timeouts provoked, errors provoked. */
  readonly faultsInjected: number;
  /** Rows (or artefacts: files, errors, dump lines) verified afterwards. */
  readonly rowsChecked: number;
  /** Anything that crossed a boundary or escaped: must be 0. */
  readonly leaksFound: number;
  readonly durationMillis: number;
  /** One line on what was measured, e.g. the longest outage error or the recovery time. */
  readonly notes: string;
  /** The server the scenario ran against, e.g. `PostgreSQL 18.1 (embedded)`. */
  readonly server: string;
}

/** The key under which a test's `task.meta` carries its `SuiteResult`. */
export const suiteResultMetaKey = 'reliability';

/**
 * Attaches a scenario's figures to the running test, where the reliability reporter (in the
 * main vitest process) collects them. Call it before the assertions, so a failing scenario
 * still reports what it found.
 *
 * @example
 * it('…', async ({ task }) => { recordSuiteResult(task, { suite: 'Faults', … }); expect(leaks).toBe(0); });
 */
export function recordSuiteResult(task: { meta: object }, result: SuiteResult): void {
  (task.meta as Record<string, unknown>)[suiteResultMetaKey] = result;
}

/** Reads back what `recordSuiteResult` attached (the reporter's side). */
export function readSuiteResult(meta: object): SuiteResult | undefined {
  const value = (meta as Record<string, unknown>)[suiteResultMetaKey];
  return value && typeof value === 'object' && 'suite' in value ? (value as SuiteResult) : undefined;
}
