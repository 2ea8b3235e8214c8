import { afterEach, describe, expect, it } from 'vitest';
import { createFixtureWorkspace, linkFixtureWorkspace, type FixtureWorkspace } from './fixture-workspace.js';
import { checkMinorPins, checkSourceManifest, expectedRangeFor, isPinnedToOneMinor } from './minor-pin-check.js';

let workspace: FixtureWorkspace;
afterEach(() => workspace?.remove());

function pinProblems(edit: (fixture: FixtureWorkspace) => void = () => undefined, packTool: 'pnpm' | 'npm' = 'pnpm') {
  workspace = createFixtureWorkspace({ link: true });
  edit(workspace);
  linkFixtureWorkspace(workspace);
  return checkMinorPins({ rootDirectory: workspace.rootDirectory, packTool });
}

describe('isPinnedToOneMinor', () => {
  it.each([
    ['^0.3.1', true],
    ['~1.2.3', true],
    ['0.3.1', true],
    ['>=0.3.1 <0.4.0', true],
    ['^1.2.3', false],
    ['>=0.3.0', false],
    ['*', false],
    ['^0.3.1 || ^0.4.0', false],
    ['workspace:^', false],
  ])('%s → %s', (range, pinned) => {
    expect(isPinnedToOneMinor(range)).toBe(pinned);
  });

  it('expects ^0.x.y in 0.x and ~x.y.z from 1.0', () => {
    expect(expectedRangeFor('0.3.1')).toBe('^0.3.1');
    expect(expectedRangeFor('1.4.0')).toBe('~1.4.0');
  });
});

describe('checkMinorPins', () => {
  it('passes when pnpm packs workspace:^ siblings as ^0.x.y ranges', () => {
    const result = pinProblems();
    expect(result.problems).toEqual([]);
    expect(result.notes).toContain('@fixture/runner@0.1.0: @fixture/core@^0.3.1');
  });

  it('fails on a sibling range that spans minors, naming the package, field and expected range', () => {
    const result = pinProblems((fixture) =>
      fixture.editJson('packages/glue/package.json', (json) => {
        json.peerDependencies['@fixture/core'] = 'workspace:>=0.3.0';
      }),
    );
    expect(result.problems).toEqual([
      expect.stringContaining('@fixture/glue@0.2.0 (packed): peerDependencies["@fixture/core"] is ">=0.3.0", which is not pinned to one minor; expected "^0.3.1"'),
    ]);
  });

  it('fails on an exact sibling version, which would refuse patch releases', () => {
    const result = pinProblems((fixture) =>
      fixture.editJson('packages/runner/package.json', (json) => {
        json.dependencies['@fixture/core'] = 'workspace:*';
      }),
    );
    expect(result.problems).toEqual([expect.stringContaining('dependencies["@fixture/core"] is the exact version "0.3.1"')]);
  });

  it('fails on a sibling range the workspace version does not satisfy', () => {
    const result = pinProblems((fixture) =>
      fixture.editJson('packages/runner/package.json', (json) => {
        json.dependencies['@fixture/core'] = 'workspace:^0.2.0';
      }),
    );
    expect(result.problems).toEqual([expect.stringContaining('"^0.2.0", which the workspace\'s @fixture/core@0.3.1 does not satisfy')]);
  });

  it('fails when a workspace: specifier leaks into a packed manifest', () => {
    // npm pack does not rewrite workspace: ranges, which is exactly how a leak happens.
    const result = pinProblems(() => undefined, 'npm');
    expect(result.problems).toContainEqual(
      expect.stringContaining('@fixture/runner@0.1.0 (packed): dependencies["@fixture/core"] is "workspace:^": a workspace: specifier leaked'),
    );
  });

  it('fails when a published package depends on a private workspace package', () => {
    const result = pinProblems((fixture) =>
      fixture.editJson('packages/runner/package.json', (json) => {
        json.dependencies['@fixture/internal-tool'] = 'workspace:^';
      }),
    );
    expect(result.problems).toEqual([expect.stringContaining('dependencies["@fixture/internal-tool"]: @fixture/internal-tool is a private workspace package')]);
  });

  it('requires the workspace: protocol for siblings in source manifests', () => {
    const problems = checkSourceManifest(
      { name: '@fixture/runner', version: '0.1.0', dependencies: { '@fixture/core': '^0.3.1' } },
      { published: new Map([['@fixture/core', '0.3.1']]), privateNames: new Set() },
    );
    expect(problems).toEqual([expect.stringContaining('@fixture/runner: dependencies["@fixture/core"] is "^0.3.1"; siblings must use "workspace:^"')]);
  });
});
