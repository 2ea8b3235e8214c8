/**
 * Runs `task(0) … task(total - 1)` with at most `concurrency` in flight: `concurrency`
 * workers pull the next index from a shared counter, so memory stays flat however large
 * `total` is (no array of 100 000 pending promises). A task that throws stops nothing; the
 * caller's task decides what an error means.
 *
 * @example
 * await runConcurrently({ total: 100_000, concurrency: 200 }, async (index) => work(index));
 */
export async function runConcurrently(
  options: { readonly total: number; readonly concurrency: number },
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next;
      if (index >= options.total) return;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.total) }, worker));
}

/**
 * Runs `task` in `concurrency` loops until `shouldStop()` returns true: load for a period of
 * time rather than a count (used while faults are injected).
 *
 * @example
 * await runUntil({ concurrency: 32, shouldStop: () => Date.now() > deadline }, async () => work());
 */
export async function runUntil(
  options: { readonly concurrency: number; readonly shouldStop: () => boolean },
  task: (workerIndex: number) => Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, workerIndex) => {
      while (!options.shouldStop()) await task(workerIndex);
    }),
  );
}
