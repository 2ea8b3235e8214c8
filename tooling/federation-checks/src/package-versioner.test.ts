import { mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { read as readChangesetConfig } from '@changesets/config';
import getReleasePlan from '@changesets/get-release-plan';
import { getPackages } from '@manypkg/get-packages';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixtureWorkspace, type FixtureWorkspace } from './fixture-workspace.js';
import { versionPackages } from './package-versioner.js';
import { repositoryRoot } from './repository-root.js';

let workspace: FixtureWorkspace;
afterEach(() => workspace?.remove());

function setUp(changeset: string): void {
  workspace = createFixtureWorkspace();
  const config = JSON.parse(readFileSync(join(repositoryRoot(), '.changeset', 'config.json'), 'utf8')) as Record<string, unknown>;
  config.ignore = [];
  workspace.write('package.json', JSON.stringify({ name: 'fixture-root', private: true }));
  mkdirSync(workspace.path('.changeset'), { recursive: true });
  workspace.write('.changeset/config.json', JSON.stringify(config));
  workspace.write('.changeset/the-change.md', changeset);
}

function versions(): Record<string, string> {
  return Object.fromEntries(
    ['core', 'glue', 'runner'].map((name) => [name, (JSON.parse(workspace.read(`packages/${name}/package.json`)) as { version: string }).version]),
  );
}

describe('the repository changesets config', () => {
  it('is valid for this workspace', async () => {
    const root = repositoryRoot();
    const config = await readChangesetConfig(root, await getPackages(root));
    expect(config.updateInternalDependencies).toBe('patch');
    expect(config.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH.onlyUpdatePeerDependentsWhenOutOfRange).toBe(true);
    expect(config.fixed).toEqual([]);
  });

  it('skips every workspace package outside packages/ because it is private (no ignore list to keep in sync)', async () => {
    const root = repositoryRoot();
    const config = await readChangesetConfig(root, await getPackages(root));
    expect(config.privatePackages).toEqual({ version: false, tag: false });
    const { packages } = await getPackages(root);
    const outside = packages.filter((workspacePackage) => !relative(root, workspacePackage.dir).startsWith('packages/'));
    expect(outside.filter((workspacePackage) => workspacePackage.packageJson.private !== true).map((entry) => entry.packageJson.name)).toEqual([]);
  });
});

describe('versionPackages', () => {
  it('on a minor of a 0.x sibling: patches dependents, gives peer dependents a minor (not 1.0.0), writes CHANGELOGs', async () => {
    setUp('---\n"@fixture/core": minor\n---\n\nAdds `createThing({ size })`.\n');
    // What plain `changeset version` would do: the peer dependent jumps to 1.0.0.
    const plain = await getReleasePlan(workspace.rootDirectory);
    expect(plain.releases.find((release) => release.name === '@fixture/glue')?.newVersion).toBe('1.0.0');

    const outcome = await versionPackages({ rootDirectory: workspace.rootDirectory });
    expect(outcome.adjustments).toEqual([{ name: '@fixture/glue', from: '0.2.0', insteadOf: '1.0.0', to: '0.3.0' }]);
    expect(versions()).toEqual({ core: '0.4.0', glue: '0.3.0', runner: '0.1.1' });
    expect(workspace.read('packages/core/CHANGELOG.md')).toMatch(/# @fixture\/core\n\n## 0\.4\.0\n\n### Minor Changes\n\n- Adds `createThing\(\{ size \}\)`\./);
    expect(workspace.read('packages/glue/CHANGELOG.md')).toContain('## 0.3.0');
    expect(workspace.read('packages/runner/CHANGELOG.md')).toMatch(/## 0\.1\.1[\s\S]*Updated dependencies[\s\S]*@fixture\/core@0\.4\.0/);
    // Source ranges stay workspace:^; pnpm publishes them as ^0.4.0.
    expect(JSON.parse(workspace.read('packages/glue/package.json')).peerDependencies['@fixture/core']).toBe('workspace:^');
    expect(() => workspace.read('.changeset/the-change.md')).toThrow();
  });

  it('on a patch of a sibling: dependents whose range still holds are not released', async () => {
    setUp('---\n"@fixture/core": patch\n---\n\nFixes a typo.\n');
    const outcome = await versionPackages({ rootDirectory: workspace.rootDirectory });
    expect(outcome.releases.map((release) => `${release.name}@${release.newVersion}`)).toEqual(['@fixture/core@0.3.2']);
    expect(versions()).toEqual({ core: '0.3.2', glue: '0.2.0', runner: '0.1.0' });
  });

  it('respects a major written on purpose (graduating to 1.0.0)', async () => {
    setUp('---\n"@fixture/runner": major\n---\n\nStable at last.\n');
    const outcome = await versionPackages({ rootDirectory: workspace.rootDirectory, dryRun: true });
    // glue's optional peer range on runner is left, so glue gets a (0.x) breaking release too.
    expect(outcome.releases.map((release) => `${release.name}@${release.newVersion}`)).toEqual(['@fixture/runner@1.0.0', '@fixture/glue@0.3.0']);
    expect(outcome.adjustments).toEqual([{ name: '@fixture/glue', from: '0.2.0', insteadOf: '1.0.0', to: '0.3.0' }]);
    expect(versions().runner).toBe('0.1.0');
  });
});
