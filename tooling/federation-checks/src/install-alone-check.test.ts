import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixtureWorkspace, type FixtureWorkspace } from './fixture-workspace.js';
import { checkInstallAlone } from './install-alone-check.js';
import { packPackages, type PackTool } from './package-packer.js';
import { findPublishedPackages } from './workspace-packages.js';

let workspace: FixtureWorkspace;
let packDirectory: string;
afterEach(() => {
  workspace?.remove();
  if (packDirectory) rmSync(packDirectory, { recursive: true, force: true });
});

function packFixture(edit: (fixture: FixtureWorkspace) => void = () => undefined, packTool: PackTool = 'pnpm') {
  workspace = createFixtureWorkspace({ link: true });
  edit(workspace);
  packDirectory = mkdtempSync(join(tmpdir(), 'strata-packs-'));
  return packPackages(findPublishedPackages(workspace.rootDirectory), packDirectory, packTool);
}

describe('checkInstallAlone', () => {
  it('installs a package with only the siblings it declares and loads every entry point from ESM and CJS', () => {
    const tarballs = packFixture();
    const result = checkInstallAlone({ packageName: '@fixture/glue', tarballs });
    expect(result.problems).toEqual([]);
    expect(result.notes).toContain('@fixture/glue: installed alone with @fixture/core');
    expect(result.notes).toContain('@fixture/glue: loads from ESM and CJS (1 names)');
  });

  it('loads a subpath that needs an optional peer only after installing that peer', () => {
    const tarballs = packFixture();
    const result = checkInstallAlone({ packageName: '@fixture/glue', tarballs });
    expect(result.notes).toContain(
      '@fixture/glue: @fixture/glue/with-runner need(s) the optional peer(s) @fixture/runner; loaded after installing them',
    );
    expect(result.notes).toContain('@fixture/glue/with-runner: loads from ESM and CJS (1 names)');
  });

  it('fails when the package imports a dependency it does not declare (ESM and CJS)', () => {
    const tarballs = packFixture((fixture) => {
      fixture.write('packages/runner/lib/index.js', `import { sql } from 'kysely';\n${fixture.read('packages/runner/lib/index.js')}`);
      fixture.write('packages/runner/lib/index.cjs', `const { sql } = require('kysely');\n${fixture.read('packages/runner/lib/index.cjs')}`);
    });
    const result = checkInstallAlone({ packageName: '@fixture/runner', tarballs });
    expect(result.problems).toEqual([
      expect.stringMatching(/^@fixture\/runner: import \(ESM\) fails when installed alone: Cannot find package 'kysely'.*; it reaches for kysely, which it does not declare/),
      expect.stringMatching(/^@fixture\/runner: require \(CJS\) fails when installed alone: Cannot find module 'kysely'.*; it reaches for kysely, which it does not declare/),
    ]);
  });

  it('fails when the install pulls in a package the closed-box rules forbid', () => {
    const tarballs = packFixture();
    const result = checkInstallAlone({ packageName: '@fixture/runner', tarballs, forbiddenPackages: ['@fixture/core'] });
    expect(result.problems).toEqual([expect.stringContaining('@fixture/runner: installing it alone pulled in @fixture/core, which must stay out')]);
  });

  it('fails when ESM and CJS builds export different names', () => {
    const tarballs = packFixture((fixture) => {
      fixture.write('packages/runner/lib/index.cjs', `${fixture.read('packages/runner/lib/index.cjs')}exports.onlyInCjs = 1;\n`);
    });
    const result = checkInstallAlone({ packageName: '@fixture/runner', tarballs });
    expect(result.problems).toEqual([expect.stringContaining('@fixture/runner: ESM and CJS builds export different names (only ESM: -; only CJS: onlyInCjs)')]);
  });

  it('fails when a leaked workspace: specifier makes the packed package uninstallable', () => {
    const tarballs = packFixture(() => undefined, 'npm');
    const result = checkInstallAlone({ packageName: '@fixture/runner', tarballs });
    expect(result.problems).toEqual([expect.stringMatching(/^@fixture\/runner: npm install of @fixture\/runner, @fixture\/core failed: .*workspace/i)]);
  });
});
