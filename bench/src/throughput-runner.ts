import { performance } from 'node:perf_hooks';
import type { BenchRow } from './report-table.js';

/** One variant of a throughput benchmark: an async operation run in a loop. */
export interface ThroughputVariant {
  readonly name: string;
  readonly operation: () => Promise<unknown>;
  readonly note?: string;
}

/** How long and how hard to run each variant. */
export interface ThroughputSettings {
  /** Operations kept in flight at once. */
  readonly concurrency: number;
  /** Measured time per variant per round, in milliseconds. */
  readonly durationMillis: number;
  /** Unmeasured warm-up per variant per round. */
  readonly warmupMillis: number;
  /**
   * Rounds: every variant runs once per round, in rotating order, and the median round is
   * reported, so drift on a shared machine does not favour whoever ran first.
   */
  readonly rounds: number;
}

async function runFor(operation: () => Promise<unknown>, concurrency: number, durationMillis: number, latencies?: number[]): Promise<number> {
  const deadline = performance.now() + durationMillis;
  let completed = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      await operation();
      latencies?.push(performance.now() - started);
      completed += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return completed / ((performance.now() - started) / 1000);
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

/** Runs every variant under the same settings and returns one row per variant. */
export async function measureThroughput(variants: readonly ThroughputVariant[], settings: ThroughputSettings): Promise<BenchRow[]> {
  const rounds = new Map<string, Array<{ opsPerSecond: number; latencies: number[] }>>();
  for (let round = 0; round < settings.rounds; round += 1) {
    const order = variants.map((_variant, index) => variants[(index + round) % variants.length]!);
    for (const variant of order) {
      await runFor(variant.operation, settings.concurrency, settings.warmupMillis);
      const latencies: number[] = [];
      const opsPerSecond = await runFor(variant.operation, settings.concurrency, settings.durationMillis, latencies);
      const list = rounds.get(variant.name) ?? [];
      list.push({ opsPerSecond, latencies });
      rounds.set(variant.name, list);
    }
  }
  return variants.map((variant) => {
    const results = [...(rounds.get(variant.name) ?? [])].sort((left, right) => left.opsPerSecond - right.opsPerSecond);
    const median = results[Math.floor(results.length / 2)]!;
    const sorted = [...median.latencies].sort((left, right) => left - right);
    const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
    return {
      name: variant.name,
      opsPerSecond: median.opsPerSecond,
      meanMillis: mean,
      p99Millis: percentile(sorted, 0.99),
      ...(variant.note ? { note: variant.note } : {}),
    };
  });
}
