/**
 * How much of the full workload to run: `STRATA_RELIABILITY_SCALE` between 0 (exclusive) and
 * 1 (default). CI runs a shortened form (e.g. 0.1); the figures in docs/reliability.md come
 * from a full run only.
 */
export function reliabilityScale(): number {
  const raw = process.env.STRATA_RELIABILITY_SCALE;
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 1) {
    throw new Error(`STRATA_RELIABILITY_SCALE must be a number in (0, 1], got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Whether this is a full-size run (the one allowed to rewrite docs/reliability.md). */
export function isFullScale(): boolean {
  return reliabilityScale() === 1;
}

/**
 * A count scaled down for shortened runs, never below `minimum`.
 *
 * @example
 * const operations = scaled(100_000, 5_000); // 100 000 in a full run, 10 000 at scale 0.1
 */
export function scaled(full: number, minimum = 1): number {
  return Math.max(minimum, Math.round(full * reliabilityScale()));
}
