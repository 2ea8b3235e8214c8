import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCheckResult, type CheckResult } from './check-result.js';
import { git, gitOrUndefined } from './git-commands.js';
import { findWorkspacePackages, type WorkspacePackage } from './workspace-packages.js';

/** Options of {@link checkChangesetCoverage}. */
export interface ChangesetCoverageOptions {
  readonly rootDirectory: string;
  /**
   * A ref to compare against (a pull request's target, e.g. `origin/main`): the base is
   * the merge base of HEAD and this ref. Without it, each package is compared with its
   * own last release (the last commit that changed its `version`).
   */
  readonly baseRef?: string;
}

/**
 * Files whose change does not alter what users install: tests, fixtures, test and type
 * configuration, and the CHANGELOG written by `changeset version` itself.
 */
function isReleaseRelevant(fileInPackage: string): boolean {
  if (/(^|\/)[^/]+\.(test|spec|test-d|bench)\.[cm]?[jt]sx?$/.test(fileInPackage)) return false;
  if (/(^|\/)(__fixtures__|__tests__|test-fixtures|fixtures|test|tests)\//.test(fileInPackage)) return false;
  if (/^(CHANGELOG\.md|vitest\.config\.[cm]?[jt]s|tsconfig(\.[\w-]+)?\.json|\.gitignore)$/.test(fileInPackage)) return false;
  return true;
}

/** Package names named by pending changesets (`.changeset/*.md` except README.md), by file. */
export function readPendingChangesets(rootDirectory: string): Map<string, string[]> {
  const directory = join(rootDirectory, '.changeset');
  const changesets = new Map<string, string[]>();
  if (!existsSync(directory)) return changesets;
  for (const file of readdirSync(directory)) {
    if (!file.endsWith('.md') || file.toLowerCase() === 'readme.md') continue;
    const text = readFileSync(join(directory, file), 'utf8');
    const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
    const names = [...frontmatter.matchAll(/^\s*["']?([^"':\s][^"':]*)["']?\s*:\s*(major|minor|patch|none)\s*$/gm)].map((match) => match[1]!.trim());
    changesets.set(file, names);
  }
  return changesets;
}

/** The commit a package was last released from: the last one that changed its version line. */
function lastReleaseCommit(rootDirectory: string, workspacePackage: WorkspacePackage): string | undefined {
  const commit = gitOrUndefined(rootDirectory, ['log', '-1', '--format=%H', '-G', '"version"', '--', `${workspacePackage.relativeDirectory}/package.json`]);
  return commit === '' ? undefined : commit;
}

/** Files of the package changed since `base` (committed, staged, unstaged and untracked). */
function changedFiles(rootDirectory: string, workspacePackage: WorkspacePackage, base: string | undefined): string[] {
  const directory = workspacePackage.relativeDirectory;
  const tracked = base
    ? git(rootDirectory, ['diff', '--name-only', base, '--', directory])
    : git(rootDirectory, ['ls-files', '--', directory]);
  const untracked = git(rootDirectory, ['ls-files', '--others', '--exclude-standard', '--', directory]);
  return [...new Set([...tracked.split('\n'), ...untracked.split('\n')])]
    .filter((file) => file !== '')
    .filter((file) => isReleaseRelevant(file.slice(directory.length + 1)))
    .filter((file) => !file.endsWith('/package.json') || manifestChangeMatters(rootDirectory, file, base));
}

/** A package.json's fields that do not reach users' installs. */
function withoutLocalFields(text: string): string {
  const { scripts: _scripts, devDependencies: _devDependencies, ...published } = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify(published);
}

/**
 * A package.json change matters unless only `scripts` or `devDependencies` changed:
 * those never reach a user's install.
 */
function manifestChangeMatters(rootDirectory: string, file: string, base: string | undefined): boolean {
  const before = base ? gitOrUndefined(rootDirectory, ['show', `${base}:${file}`]) : undefined;
  if (before === undefined) return true;
  try {
    return withoutLocalFields(before) !== withoutLocalFields(readFileSync(join(rootDirectory, file), 'utf8'));
  } catch {
    return true;
  }
}

/**
 * Every release-relevant change to a published package must come with a pending
 * changeset naming it.
 *
 * The base each package is compared with:
 * - `baseRef` given (or `STRATA_CHANGESET_BASE` in the CLI): the merge base of HEAD and
 *   that ref, the usual pull-request rule;
 * - otherwise the package's last release, i.e. the last commit that changed the
 *   `version` in its package.json (`changeset version` does that, and consumes the
 *   changesets in the same commit). This needs no remote and works in a fresh clone of
 *   main, where HEAD is the only ref: every change since the last release must be
 *   described by a pending changeset before the next release.
 *
 * Tests, fixtures, tsconfig/vitest config, CHANGELOG.md and package.json changes limited
 * to `scripts`/`devDependencies` do not count as changes.
 *
 * @example
 * const result = checkChangesetCoverage({ rootDirectory: '/work/main', baseRef: 'origin/main' });
 */
export function checkChangesetCoverage(options: ChangesetCoverageOptions): CheckResult {
  const result = createCheckResult();
  const root = options.rootDirectory;
  if (gitOrUndefined(root, ['rev-parse', '--is-shallow-repository']) === 'true') {
    result.notes.push('shallow clone: history may end before a base; fetch with --unshallow if a base is reported missing');
  }
  let sharedBase: string | undefined;
  if (options.baseRef) {
    sharedBase = gitOrUndefined(root, ['merge-base', 'HEAD', options.baseRef]);
    if (!sharedBase) {
      result.problems.push(`base ref "${options.baseRef}" has no merge base with HEAD (fetch it, or unset STRATA_CHANGESET_BASE)`);
      return result;
    }
  }
  const all = findWorkspacePackages(root);
  const published = all.filter((workspacePackage) => workspacePackage.manifest.private !== true);
  const changesets = readPendingChangesets(root);
  const named = new Set([...changesets.values()].flat());
  const allNames = new Set(all.map((workspacePackage) => workspacePackage.name));
  for (const [file, names] of changesets) {
    if (names.length === 0) result.notes.push(`.changeset/${file} names no package (an empty changeset)`);
    for (const name of names) {
      if (!allNames.has(name)) result.problems.push(`.changeset/${file} names ${name}, which is not a package of this workspace`);
      else if (!published.some((workspacePackage) => workspacePackage.name === name)) {
        result.problems.push(`.changeset/${file} names ${name}, which is private and never released`);
      }
    }
  }
  for (const workspacePackage of published) {
    const base = sharedBase ?? lastReleaseCommit(root, workspacePackage);
    const files = changedFiles(root, workspacePackage, base);
    const since = options.baseRef
      ? `since the merge base with ${options.baseRef} (${sharedBase!.slice(0, 8)})`
      : base
        ? `since its last version change (${base.slice(0, 8)})`
        : 'and it was never released';
    if (files.length === 0) {
      result.notes.push(`${workspacePackage.name}: no release-relevant change ${since}`);
    } else if (named.has(workspacePackage.name)) {
      result.notes.push(`${workspacePackage.name}: ${files.length} changed file(s) ${since}, covered by a changeset`);
    } else {
      const sample = files.slice(0, 5).join(', ') + (files.length > 5 ? `, … (${files.length} in all)` : '');
      result.problems.push(
        `${workspacePackage.name}: ${files.length} file(s) changed ${since} (${sample}) but no pending changeset names it; run \`pnpm changeset\``,
      );
    }
  }
  return result;
}
