import { join } from 'node:path';
import type { PackageManifest } from './workspace-packages.js';

/** One entry point of a package's `exports` map, with the files each condition resolves to. */
export interface EntryPoint {
  /** The key in the exports map: `.` or `./drizzle`. */
  readonly subpath: string;
  /** What a user imports: `@strata/db-core` or `@strata/db-core/drizzle`. */
  readonly specifier: string;
  /** Paths relative to the package folder; undefined when the condition is missing. */
  readonly importFile: string | undefined;
  readonly importTypesFile: string | undefined;
  readonly requireFile: string | undefined;
  readonly requireTypesFile: string | undefined;
}

/**
 * Resolves an exports-map target for a list of active conditions, the way Node does:
 * object keys are tried in order and the first matching condition wins.
 */
function resolveTarget(target: unknown, conditions: readonly string[]): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const resolved = resolveTarget(candidate, conditions);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    for (const [condition, value] of Object.entries(target)) {
      if (condition === 'default' || conditions.includes(condition)) {
        const resolved = resolveTarget(value, conditions);
        if (resolved !== undefined) return resolved;
      }
    }
  }
  return undefined;
}

/** `./package.json` and other non-code subpaths are not entry points with exports. */
function isCodeSubpath(subpath: string): boolean {
  return !subpath.endsWith('.json') && !subpath.includes('*');
}

/**
 * Lists the code entry points of a manifest's `exports` map (every subpath except
 * `./package.json`), with the runtime and declaration files for `import` and `require`.
 *
 * @example
 * listEntryPoints(manifest).map((entryPoint) => entryPoint.specifier);
 * // ['@strata/db-core', '@strata/db-core/drizzle']
 */
export function listEntryPoints(manifest: PackageManifest): EntryPoint[] {
  const exportsField = manifest.exports;
  let map: Record<string, unknown>;
  if (exportsField === undefined) {
    map = { '.': manifest.main ?? './index.js' };
  } else if (typeof exportsField === 'string' || Array.isArray(exportsField)) {
    map = { '.': exportsField };
  } else {
    const keys = Object.keys(exportsField as object);
    map = keys.every((key) => key.startsWith('.'))
      ? (exportsField as Record<string, unknown>)
      : { '.': exportsField };
  }
  return Object.entries(map)
    .filter(([subpath]) => isCodeSubpath(subpath))
    .map(([subpath, target]) => ({
      subpath,
      specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      importFile: resolveTarget(target, ['node', 'import']),
      importTypesFile: resolveTarget(target, ['types', 'node', 'import']),
      requireFile: resolveTarget(target, ['node', 'require']),
      requireTypesFile: resolveTarget(target, ['types', 'node', 'require']),
    }));
}

/**
 * Joins a package folder and an exports-map path (`./dist/index.js`).
 *
 * @example
 * absoluteEntryFile('/repo/packages/db-core', './dist/index.js');
 */
export function absoluteEntryFile(packageDirectory: string, relativeFile: string): string {
  return join(packageDirectory, relativeFile);
}
