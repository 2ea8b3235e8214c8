import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A disposable copy of `src/test-fixtures/federation`, for tests that break it on purpose. */
export interface FixtureWorkspace {
  readonly rootDirectory: string;
  /** Path of a file inside the copy. */
  path(relativePath: string): string;
  read(relativePath: string): string;
  write(relativePath: string, content: string): void;
  /** Rewrites a JSON file through a function. */
  editJson(relativePath: string, edit: (json: Record<string, any>) => void): void;
  remove(): void;
}

const fixtureDirectory = new URL('./test-fixtures/federation/', import.meta.url).pathname;

/**
 * Copies the fixture federation to a temporary directory. With `link`, runs an offline
 * `pnpm install` there so workspace siblings are linked (pnpm pack needs that to rewrite
 * `workspace:` ranges); the fixture has no external dependencies, so nothing is fetched.
 *
 * @example
 * const workspace = createFixtureWorkspace({ link: true });
 * workspace.editJson('packages/glue/package.json', (json) => { json.peerDependencies['@fixture/core'] = 'workspace:>=0.3.0'; });
 */
export function createFixtureWorkspace(options: { link?: boolean } = {}): FixtureWorkspace {
  const rootDirectory = mkdtempSync(join(tmpdir(), 'strata-fixture-'));
  cpSync(fixtureDirectory, rootDirectory, { recursive: true });
  const workspace: FixtureWorkspace = {
    rootDirectory,
    path: (relativePath) => join(rootDirectory, relativePath),
    read: (relativePath) => readFileSync(join(rootDirectory, relativePath), 'utf8'),
    write: (relativePath, content) => writeFileSync(join(rootDirectory, relativePath), content),
    editJson: (relativePath, edit) => {
      const json = JSON.parse(workspace.read(relativePath)) as Record<string, any>;
      edit(json);
      workspace.write(relativePath, `${JSON.stringify(json, null, 2)}\n`);
    },
    remove: () => rmSync(rootDirectory, { recursive: true, force: true }),
  };
  if (options.link) linkFixtureWorkspace(workspace);
  return workspace;
}

/** (Re)links workspace siblings after a manifest edit. */
export function linkFixtureWorkspace(workspace: FixtureWorkspace): void {
  execFileSync('pnpm', ['install', '--offline', '--no-frozen-lockfile', '--config.confirmModulesPurge=false'], {
    cwd: workspace.rootDirectory,
    stdio: 'pipe',
  });
}
