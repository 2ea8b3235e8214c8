import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './repository-root.js';
import { findPublishedPackages, packageNameOfSpecifier } from './workspace-packages.js';

describe('the federation checks cover every published package', () => {
  it('lists every published package as a devDependency, so turbo builds it before check:* tasks', () => {
    const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
    const missing = findPublishedPackages(repositoryRoot())
      .map((workspacePackage) => workspacePackage.name)
      .filter((name) => own.devDependencies[name] !== 'workspace:*');
    expect(missing, 'add "<name>": "workspace:*" to tooling/federation-checks devDependencies').toEqual([]);
  });
});

describe('packageNameOfSpecifier', () => {
  it('keeps the scope and drops subpaths', () => {
    expect(packageNameOfSpecifier('@strata/db-core/drizzle')).toBe('@strata/db-core');
    expect(packageNameOfSpecifier('drizzle-orm/pg-core')).toBe('drizzle-orm');
    expect(packageNameOfSpecifier('kysely')).toBe('kysely');
  });
});
