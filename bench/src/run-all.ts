/**
 * Runs every benchmark in sequence: `pnpm bench` (or `pnpm bench <name>` for one).
 * Each benchmark module exports `run(): Promise<string>` returning its Markdown report.
 */
const benchmarks: Record<string, () => Promise<{ run: () => Promise<string> }>> = {
  tenancy: () => import('./tenancy-bench.js'),
  migrate: () => import('./migrate-bench.js'),
  session: () => import('./session-bench.js'),
  endpoint: () => import('./endpoint-bench.js'),
};

const only = process.argv.slice(2);
const selected = Object.keys(benchmarks).filter((name) => only.length === 0 || only.includes(name));
for (const name of selected) {
  const module = await benchmarks[name]!();
  console.log(await module.run());
  console.log();
}
