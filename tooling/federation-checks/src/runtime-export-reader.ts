import { pathToFileURL } from 'node:url';

/** Names every module namespace has that are not exports of the package's API. */
const interopNames = new Set(['default', '__esModule', 'module.exports']);

/**
 * The runtime export names of a built ESM file, found by importing it.
 *
 * @example
 * await readRuntimeExports('/repo/packages/db-core/dist/index.js'); // ['createDb', ...]
 */
export async function readRuntimeExports(esmFile: string): Promise<string[]> {
  const namespace = (await import(pathToFileURL(esmFile).href)) as Record<string, unknown>;
  return Object.keys(namespace)
    .filter((name) => !interopNames.has(name))
    .sort();
}
