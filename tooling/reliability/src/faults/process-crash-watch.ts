/**
 * Counts unhandled rejections and uncaught exceptions while a scenario runs: the "process
 * never crashes" check. (Vitest would also fail the run on them; counting makes the figure
 * part of the report.)
 *
 * @example
 * const watch = watchForCrashes();
 * await scenario();
 * expect(watch.stop()).toBe(0);
 */
export function watchForCrashes(): { stop(): number; readonly problems: readonly string[] } {
  let count = 0;
  const problems: string[] = [];
  const onProblem = (error: unknown) => {
    count += 1;
    if (problems.length < 5) problems.push(error instanceof Error ? `${error.constructor.name}: ${error.message}\n${error.stack ?? ''}` : String(error));
  };
  process.on('unhandledRejection', onProblem);
  process.on('uncaughtException', onProblem);
  return {
    problems,
    stop() {
      process.off('unhandledRejection', onProblem);
      process.off('uncaughtException', onProblem);
      return count;
    },
  };
}
