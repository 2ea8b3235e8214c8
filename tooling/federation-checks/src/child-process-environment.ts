/**
 * The environment for tools the checks start (npm, node in a temporary project): the
 * caller's environment without what pnpm and tsx inject. `NODE_PATH` (set by pnpm's bin
 * shims to the workspace store) would let a package resolve dependencies it never
 * declared, and `npm_config_*` variables from `pnpm run` would leak workspace settings
 * into npm.
 *
 * @example
 * spawnSync('node', ['probe.mjs'], { env: cleanEnvironment({ STRATA_SMOKE_DATABASE_URL: url }) });
 */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_PATH' || key === 'NODE_OPTIONS' || /^npm_/i.test(key) || key.startsWith('PNPM_')) continue;
    environment[key] = value;
  }
  return { ...environment, ...extra };
}
