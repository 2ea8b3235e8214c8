import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixtureWorkspace, type FixtureWorkspace } from './fixture-workspace.js';
import { readPackedManifest } from './package-packer.js';
import { releaseToDirectory } from './release-packer.js';

let workspace: FixtureWorkspace;
afterEach(() => workspace?.remove());

describe('releaseToDirectory', () => {
  it('packs every published package into .release/ with workspace ranges rewritten, and never overwrites a released version', () => {
    workspace = createFixtureWorkspace({ link: true });
    const first = releaseToDirectory({ rootDirectory: workspace.rootDirectory });
    expect(first.map((entry) => `${entry.name}@${entry.version}:${entry.skipped}`)).toEqual([
      '@fixture/core@0.3.1:false',
      '@fixture/glue@0.2.0:false',
      '@fixture/runner@0.1.0:false',
    ]);
    expect(readdirSync(workspace.path('.release')).sort()).toEqual(['fixture-core-0.3.1.tgz', 'fixture-glue-0.2.0.tgz', 'fixture-runner-0.1.0.tgz']);
    expect(readPackedManifest(workspace.path('.release/fixture-runner-0.1.0.tgz')).dependencies).toEqual({ '@fixture/core': '^0.3.1' });
    expect(releaseToDirectory({ rootDirectory: workspace.rootDirectory }).every((entry) => entry.skipped)).toBe(true);
  });

  it('writes nothing on a dry run', () => {
    workspace = createFixtureWorkspace({ link: true });
    const planned = releaseToDirectory({ rootDirectory: workspace.rootDirectory, dryRun: true });
    expect(planned).toHaveLength(3);
    expect(existsSync(workspace.path('.release'))).toBe(false);
  });
});
