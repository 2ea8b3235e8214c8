/**
 * What every federation check returns: the problems that make it fail (each names the
 * package, entry point or file concerned) and notes that only inform.
 */
export interface CheckResult {
  readonly problems: string[];
  readonly notes: string[];
}

/**
 * Creates an empty, mutable result to collect into.
 *
 * @example
 * const result = createCheckResult();
 * result.problems.push('@strata/db-core: `createDb` is exported but not documented');
 */
export function createCheckResult(): CheckResult {
  return { problems: [], notes: [] };
}

/**
 * Appends another check's problems and notes to `target`.
 *
 * @example
 * mergeCheckResults(result, await checkMinorPins(options));
 */
export function mergeCheckResults(target: CheckResult, source: CheckResult): void {
  target.problems.push(...source.problems);
  target.notes.push(...source.notes);
}
