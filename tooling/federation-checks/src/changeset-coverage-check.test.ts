import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkChangesetCoverage } from './changeset-coverage-check.js';
import { createFixtureWorkspace, type FixtureWorkspace } from './fixture-workspace.js';

let workspace: FixtureWorkspace;
afterEach(() => workspace?.remove());

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.invalid', ...args], {
    cwd: workspace.rootDirectory,
    stdio: 'pipe',
  });
}

/** A fixture federation as a git repository whose first commit is the last release. */
function releasedFixture(): FixtureWorkspace {
  workspace = createFixtureWorkspace();
  mkdirSync(workspace.path('.changeset'));
  workspace.write('.changeset/README.md', 'Changesets live here.\n');
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'release');
  return workspace;
}

describe('checkChangesetCoverage', () => {
  it('passes when nothing changed since each package was released', () => {
    releasedFixture();
    expect(checkChangesetCoverage({ rootDirectory: workspace.rootDirectory }).problems).toEqual([]);
  });

  it('fails on a committed change to a published package without a changeset, naming the package and files', () => {
    releasedFixture();
    workspace.write('packages/core/lib/index.js', `${workspace.read('packages/core/lib/index.js')}export const added = 1;\n`);
    git('commit', '-q', '-am', 'change core');
    const problems = checkChangesetCoverage({ rootDirectory: workspace.rootDirectory }).problems;
    expect(problems).toEqual([
      expect.stringMatching(/^@fixture\/core: 1 file\(s\) changed since its last version change \([0-9a-f]{8}\) \(packages\/core\/lib\/index.js\) but no pending changeset names it/),
    ]);
  });

  it('also sees uncommitted and untracked files', () => {
    releasedFixture();
    workspace.write('packages/runner/lib/new-helper.js', 'export {};\n');
    expect(checkChangesetCoverage({ rootDirectory: workspace.rootDirectory }).problems).toEqual([
      expect.stringContaining('@fixture/runner: 1 file(s) changed'),
    ]);
  });

  it('passes once a pending changeset names the package', () => {
    releasedFixture();
    workspace.write('packages/core/lib/index.js', `${workspace.read('packages/core/lib/index.js')}export const added = 1;\n`);
    workspace.write('.changeset/brave-core.md', '---\n"@fixture/core": minor\n---\n\nAdds `added`.\n');
    expect(checkChangesetCoverage({ rootDirectory: workspace.rootDirectory }).problems).toEqual([]);
  });

  it('ignores tests, fixtures, private packages and package.json changes to scripts or devDependencies', () => {
    releasedFixture();
    workspace.write('packages/core/lib/thing.test.ts', 'export {};\n');
    workspace.editJson('packages/core/package.json', (json) => {
      json.scripts = { lint: 'publint' };
      json.devDependencies = { vitest: '^4.0.0' };
    });
    workspace.write('packages/internal-tool/index.js', 'export {};\n');
    expect(checkChangesetCoverage({ rootDirectory: workspace.rootDirectory }).problems).toEqual([]);
  });

  it('counts a package.json change users see (a dependency)', () => {
    releasedFixture();
    workspace.editJson('packages/core/package.json', (json) => {
      json.dependencies = { pg: '^8.16.0' };
    });
    expect(checkChangesetCoverage({ rootDirectory: workspace.rootDirectory }).problems).toEqual([
      expect.stringContaining('@fixture/core: 1 file(s) changed'),
    ]);
  });

  it('starts again from the commit that bumped the version (changeset version)', () => {
    releasedFixture();
    workspace.write('packages/core/lib/index.js', `${workspace.read('packages/core/lib/index.js')}export const added = 1;\n`);
    git('commit', '-q', '-am', 'change core');
    workspace.editJson('packages/core/package.json', (json) => {
      json.version = '0.4.0';
    });
    git('commit', '-q', '-am', 'Version packages');
    expect(checkChangesetCoverage({ rootDirectory: workspace.rootDirectory }).problems).toEqual([]);
  });

  it('with a base ref, compares with the merge base', () => {
    releasedFixture();
    git('branch', 'target');
    git('checkout', '-q', '-b', 'feature');
    workspace.write('packages/glue/lib/index.js', `${workspace.read('packages/glue/lib/index.js')}export const more = 1;\n`);
    git('commit', '-q', '-am', 'change glue');
    expect(checkChangesetCoverage({ rootDirectory: workspace.rootDirectory, baseRef: 'target' }).problems).toEqual([
      expect.stringMatching(/^@fixture\/glue: 1 file\(s\) changed since the merge base with target/),
    ]);
    expect(checkChangesetCoverage({ rootDirectory: workspace.rootDirectory, baseRef: 'no-such-ref' }).problems).toEqual([
      expect.stringContaining('base ref "no-such-ref" has no merge base with HEAD'),
    ]);
  });

  it('fails on a changeset that names an unknown or private package', () => {
    releasedFixture();
    workspace.write('.changeset/odd.md', '---\n"@fixture/nope": patch\n"@fixture/internal-tool": patch\n---\n\nOdd.\n');
    expect(checkChangesetCoverage({ rootDirectory: workspace.rootDirectory }).problems).toEqual([
      expect.stringContaining('.changeset/odd.md names @fixture/nope, which is not a package of this workspace'),
      expect.stringContaining('.changeset/odd.md names @fixture/internal-tool, which is private'),
    ]);
  });
});
