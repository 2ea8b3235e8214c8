import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every package name installed anywhere under a project's `node_modules` (nested
 * `node_modules` folders included), so a check can tell what an install pulled in.
 *
 * @example
 * listInstalledPackages('/tmp/probe').has('express'); // false for db-core alone
 */
export function listInstalledPackages(projectDirectory: string): Set<string> {
  const names = new Set<string>();
  const visit = (nodeModules: string): void => {
    if (!existsSync(nodeModules)) return;
    for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      if (entry.name.startsWith('@') && entry.isDirectory()) {
        for (const scoped of readdirSync(join(nodeModules, entry.name), { withFileTypes: true })) {
          names.add(`${entry.name}/${scoped.name}`);
          visit(join(nodeModules, entry.name, scoped.name, 'node_modules'));
        }
        continue;
      }
      names.add(entry.name);
      visit(join(nodeModules, entry.name, 'node_modules'));
    }
  };
  visit(join(projectDirectory, 'node_modules'));
  return names;
}
