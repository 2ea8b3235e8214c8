/** One measured row of a benchmark table. */
export interface BenchRow {
  readonly name: string;
  /** Operations per second. */
  readonly opsPerSecond: number;
  /** Mean latency in milliseconds. */
  readonly meanMillis: number;
  /** 99th percentile latency in milliseconds, when measured. */
  readonly p99Millis?: number;
  /** Extra column, e.g. round trips per operation. */
  readonly note?: string;
}

/**
 * Formats rows as a Markdown table with each row's throughput as a ratio of the baseline
 * row (measured in the same run), ready to paste into docs/benchmarks.md.
 */
export function formatReportTable(title: string, baselineName: string, rows: readonly BenchRow[]): string {
  const baseline = rows.find((row) => row.name === baselineName);
  if (!baseline) throw new Error(`baseline row "${baselineName}" was not measured`);
  const lines = [
    `### ${title}`,
    '',
    '| variant | ops/s | mean ms | p99 ms | × baseline | note |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${Math.round(row.opsPerSecond).toLocaleString('en-US')} | ${row.meanMillis.toFixed(3)} | ${
        row.p99Millis === undefined ? '' : row.p99Millis.toFixed(3)
      } | ${(row.opsPerSecond / baseline.opsPerSecond).toFixed(2)} | ${row.note ?? ''} |`,
    );
  }
  lines.push('', `Baseline: ${baselineName}.`);
  return lines.join('\n');
}
