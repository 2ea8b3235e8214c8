import { afterEach, describe, expect, it } from 'vitest';
import { checkApiContract } from './api-contract-check.js';
import { createFixtureWorkspace, type FixtureWorkspace } from './fixture-workspace.js';

let workspace: FixtureWorkspace;
afterEach(() => workspace?.remove());

async function problemsOf(setup: (fixture: FixtureWorkspace) => void): Promise<string[]> {
  workspace = createFixtureWorkspace({ link: true });
  setup(workspace);
  return (await checkApiContract({ rootDirectory: workspace.rootDirectory })).problems;
}

function replaceIn(fixture: FixtureWorkspace, file: string, search: string, replacement: string): void {
  const text = fixture.read(file);
  if (!text.includes(search)) throw new Error(`${search} not in ${file}`);
  fixture.write(file, text.replace(search, replacement));
}

describe('checkApiContract', () => {
  it('passes when PUBLIC_API.md matches every entry point, subpaths and type-only names included', async () => {
    expect(await problemsOf(() => undefined)).toEqual([]);
  });

  it('fails on an undocumented runtime export, naming it and its entry point', async () => {
    const problems = await problemsOf((fixture) => {
      fixture.write('packages/core/lib/extra.js', `${fixture.read('packages/core/lib/extra.js')}export const sneaky = 1;\n`);
      for (const file of ['extra.d.ts', 'extra.d.cts']) {
        fixture.write(`packages/core/lib/${file}`, `${fixture.read(`packages/core/lib/${file}`)}export declare const sneaky = 1;\n`);
      }
      fixture.write('packages/core/lib/extra.cjs', `${fixture.read('packages/core/lib/extra.cjs')}exports.sneaky = 1;\n`);
    });
    expect(problems).toEqual([expect.stringContaining('@fixture/core/extra: `sneaky` is exported but not documented')]);
  });

  it('fails on an undocumented type-only export read from the declaration files', async () => {
    const problems = await problemsOf((fixture) => {
      for (const file of ['index.d.ts', 'index.d.cts']) {
        fixture.write(`packages/core/lib/${file}`, `${fixture.read(`packages/core/lib/${file}`)}export interface SecretShape { id: string }\n`);
      }
    });
    expect(problems).toEqual([expect.stringContaining('@fixture/core: `SecretShape` is exported but not documented')]);
  });

  it('fails on a documented name that is not exported', async () => {
    const problems = await problemsOf((fixture) => {
      replaceIn(fixture, 'PUBLIC_API.md', '| `run` |', '| `ghost` | function | stable | Not there. |\n| `run` |');
    });
    expect(problems).toEqual([expect.stringMatching(/@fixture\/runner: `ghost` is documented \(PUBLIC_API.md:\d+\) but not exported/)]);
  });

  it('fails on an entry point without a section, and on a section without an entry point', async () => {
    const problems = await problemsOf((fixture) => {
      replaceIn(fixture, 'PUBLIC_API.md', '## `@fixture/core/extra`', '## `@fixture/core/extras`');
    });
    expect(problems).toContainEqual(expect.stringContaining('@fixture/core/extra: entry point has no section in PUBLIC_API.md'));
    expect(problems).toContainEqual(expect.stringContaining('section `@fixture/core/extras` matches no entry point'));
  });

  it('fails on an invalid tier, an invalid or wrong kind and an empty description', async () => {
    const problems = await problemsOf((fixture) => {
      replaceIn(fixture, 'PUBLIC_API.md', '| `createThing` | function | stable | Creates a thing. |', '| `createThing` | function | beta | Creates a thing. |');
      replaceIn(fixture, 'PUBLIC_API.md', '| `thingVersion` | const | stable |', '| `thingVersion` | class | stable |');
      replaceIn(fixture, 'PUBLIC_API.md', '| `ThingOptions` | interface | experimental | Options of `createThing`. |', '| `ThingOptions` | struct | experimental |  |');
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('`createThing` has invalid tier "beta"'),
        expect.stringContaining('`thingVersion` is documented as class'),
        expect.stringContaining('`ThingOptions` has invalid kind "struct"'),
        expect.stringContaining('`ThingOptions` has an empty description'),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('fails on a deprecated name whose description names no replacement', async () => {
    const problems = await problemsOf((fixture) => {
      replaceIn(fixture, 'PUBLIC_API.md', 'Deprecated: use `createThing` instead.', 'Deprecated.');
    });
    expect(problems).toEqual([expect.stringContaining('deprecated `oldThing` must name its replacement')]);
  });

  it('fails on a deprecated function that does not warn, or warns on every call', async () => {
    const silent = await problemsOf((fixture) => {
      replaceIn(fixture, 'packages/core/lib/index.js', "  warnDeprecated('oldThing', 'createThing');\n", '');
    });
    expect(silent).toEqual([expect.stringContaining('deprecated `oldThing` emitted 0 DeprecationWarning(s)')]);
    workspace.remove();
    const noisy = await problemsOf((fixture) => {
      replaceIn(fixture, 'packages/core/lib/index.js', '  if (warned.has(name)) return;\n', '');
    });
    expect(noisy).toEqual([expect.stringContaining('deprecated `oldThing` emitted 2 DeprecationWarning(s)')]);
  });

  it('fails when an entry point is not built', async () => {
    const problems = await problemsOf((fixture) => {
      fixture.editJson('packages/runner/package.json', (json) => {
        json.exports['.'].import.default = './lib/missing.js';
      });
    });
    expect(problems).toContainEqual(expect.stringContaining('@fixture/runner: ./lib/missing.js does not exist; build the package first'));
  });
});
