import { join } from 'node:path';
import semver from 'semver';
import { createCheckResult, type CheckResult } from './check-result.js';
import { packPackages, readPackedManifest, type PackTool } from './package-packer.js';
import { findWorkspacePackages, runtimeDependencyFields, type PackageManifest } from './workspace-packages.js';

/** What the manifest checks need to know about the workspace. */
export interface SiblingVersions {
  /** Published sibling name → its version in the workspace. */
  readonly published: Map<string, string>;
  /** Names of private workspace packages (never installable by a user). */
  readonly privateNames: Set<string>;
}

const allDependencyFields = [...runtimeDependencyFields, 'devDependencies'] as const;

/** Specifiers only a workspace or a local checkout understands. */
const localProtocol = /^(workspace|link|file|catalog|portal):/;

/** The range form that pins one minor for a given version: `^0.x.y` in 0.x, `~x.y.z` after. */
export function expectedRangeFor(version: string): string {
  const parsed = semver.parse(version);
  if (!parsed) return '^0.x.y';
  return parsed.major === 0 ? `^${parsed.version}` : `~${parsed.version}`;
}

/**
 * Whether a range admits exactly one minor line: its lowest version's next minor is
 * outside it (`^0.3.1` yes, `~1.2.3` yes, `^1.2.3` no, `>=0.3.0` no, `*` no).
 *
 * @example
 * isPinnedToOneMinor('^0.3.1'); // true
 */
export function isPinnedToOneMinor(range: string): boolean {
  if (!semver.validRange(range)) return false;
  const lowest = semver.minVersion(range);
  if (!lowest) return false;
  const nextMinor = `${lowest.major}.${lowest.minor + 1}.0`;
  return !semver.intersects(range, `>=${nextMinor}`);
}

/**
 * Checks one packed manifest: no `workspace:`/`link:`/`file:` specifier leaked into any
 * dependency field; every sibling in dependencies/peerDependencies/optionalDependencies
 * is a range pinned to one minor that admits patches, is satisfied by the sibling's
 * workspace version, and is not a private workspace package.
 *
 * @example
 * const problems = checkPackedManifest(readPackedManifest(tarball), siblings);
 */
export function checkPackedManifest(manifest: PackageManifest, siblings: SiblingVersions): string[] {
  const problems: string[] = [];
  const label = `${manifest.name}@${manifest.version} (packed)`;
  for (const field of allDependencyFields) {
    for (const [name, specifier] of Object.entries(manifest[field] ?? {})) {
      if (localProtocol.test(specifier)) {
        problems.push(
          `${label}: ${field}["${name}"] is "${specifier}": a ${specifier.split(':')[0]}: specifier leaked into the packed manifest; a user's npm cannot resolve it (pack with pnpm, which rewrites workspace: ranges)`,
        );
      }
    }
  }
  for (const field of runtimeDependencyFields) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (siblings.privateNames.has(name)) {
        problems.push(`${label}: ${field}["${name}"]: ${name} is a private workspace package and is never published`);
        continue;
      }
      const siblingVersion = siblings.published.get(name);
      if (siblingVersion === undefined || localProtocol.test(range)) continue;
      const expected = expectedRangeFor(siblingVersion);
      if (!isPinnedToOneMinor(range)) {
        problems.push(
          `${label}: ${field}["${name}"] is "${range}", which is not pinned to one minor; expected "${expected}" (write "workspace:${expected[0]}" in the source manifest)`,
        );
      } else if (semver.valid(range)) {
        problems.push(
          `${label}: ${field}["${name}"] is the exact version "${range}"; expected "${expected}" so patch releases are accepted (write "workspace:${expected[0]}")`,
        );
      }
      if (semver.validRange(range) && !semver.satisfies(siblingVersion, range)) {
        problems.push(`${label}: ${field}["${name}"] is "${range}", which the workspace's ${name}@${siblingVersion} does not satisfy`);
      }
    }
  }
  return problems;
}

/**
 * Checks a source manifest: siblings in runtime dependency fields must use the
 * `workspace:` protocol, so the workspace copy is linked and the published range is
 * derived from the sibling's current version.
 *
 * @example
 * checkSourceManifest(readManifest('packages/db-migrate/package.json'), siblings);
 */
export function checkSourceManifest(manifest: PackageManifest, siblings: SiblingVersions): string[] {
  const problems: string[] = [];
  for (const field of runtimeDependencyFields) {
    for (const [name, specifier] of Object.entries(manifest[field] ?? {})) {
      if (siblings.published.has(name) && !specifier.startsWith('workspace:')) {
        problems.push(`${manifest.name}: ${field}["${name}"] is "${specifier}"; siblings must use "workspace:^" (0.x) or "workspace:~" (1.0 and later)`);
      }
    }
  }
  return problems;
}

/** Options of {@link checkMinorPins}. */
export interface MinorPinOptions {
  readonly rootDirectory: string;
  /** Where tarballs go; default `<root>/.tmp/federation/packs`. */
  readonly packDirectory?: string;
  readonly packTool?: PackTool;
}

/**
 * Packs every published package and checks each packed manifest (see
 * {@link checkPackedManifest}) and each source manifest (see {@link checkSourceManifest}).
 *
 * @example
 * const result = checkMinorPins({ rootDirectory: '/work/main' });
 */
export function checkMinorPins(options: MinorPinOptions): CheckResult & { tarballs: Map<string, string> } {
  const result = createCheckResult();
  const all = findWorkspacePackages(options.rootDirectory);
  const published = all.filter((workspacePackage) => workspacePackage.manifest.private !== true);
  const siblings: SiblingVersions = {
    published: new Map(published.map((workspacePackage) => [workspacePackage.name, workspacePackage.version])),
    privateNames: new Set(all.filter((workspacePackage) => workspacePackage.manifest.private === true).map((entry) => entry.name)),
  };
  for (const workspacePackage of published) result.problems.push(...checkSourceManifest(workspacePackage.manifest, siblings));
  const destination = options.packDirectory ?? join(options.rootDirectory, '.tmp', 'federation', 'packs');
  const tarballs = packPackages(published, destination, options.packTool);
  for (const [name, tarball] of tarballs) {
    const manifest = readPackedManifest(tarball);
    result.problems.push(...checkPackedManifest(manifest, siblings));
    const siblingRanges = runtimeDependencyFields.flatMap((field) =>
      Object.entries(manifest[field] ?? {})
        .filter(([dependency]) => siblings.published.has(dependency))
        .map(([dependency, range]) => `${dependency}@${range}`),
    );
    result.notes.push(`${name}@${manifest.version}: ${siblingRanges.length > 0 ? siblingRanges.join(', ') : 'no sibling dependencies'}`);
  }
  return { ...result, tarballs };
}
