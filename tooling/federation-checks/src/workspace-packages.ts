import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a package.json the checks read. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly exports?: unknown;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly optionalDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly [field: string]: unknown;
}

/** One package of the workspace's `packages/*` folder. */
export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the package folder. */
  readonly directory: string;
  /** Path relative to the workspace root, with forward slashes (`packages/db-core`). */
  readonly relativeDirectory: string;
  readonly manifest: PackageManifest;
}

/** The dependency fields a consumer's installer reads from a published manifest. */
export const runtimeDependencyFields = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;

/**
 * Reads and parses a package.json.
 *
 * @example
 * const manifest = readManifest('packages/db-core/package.json');
 */
export function readManifest(manifestPath: string): PackageManifest {
  return JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageManifest;
}

/**
 * Every package under `<root>/packages/*`, private or not, sorted by name.
 *
 * @example
 * const all = findWorkspacePackages('/work/main');
 */
export function findWorkspacePackages(rootDirectory: string): WorkspacePackage[] {
  const packagesDirectory = join(rootDirectory, 'packages');
  if (!existsSync(packagesDirectory)) return [];
  const found: WorkspacePackage[] = [];
  for (const entry of readdirSync(packagesDirectory, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const directory = join(packagesDirectory, entry.name);
    const manifestPath = join(directory, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = readManifest(manifestPath);
    found.push({
      name: manifest.name,
      version: manifest.version,
      directory,
      relativeDirectory: `packages/${entry.name}`,
      manifest,
    });
  }
  return found.sort((left, right) => left.name.localeCompare(right.name));
}

/**
 * The published packages: those under `packages/*` without `"private": true`. Every check
 * runs over this list, so a new package is covered the moment it exists.
 *
 * @example
 * for (const workspacePackage of findPublishedPackages(root)) console.log(workspacePackage.name);
 */
export function findPublishedPackages(rootDirectory: string): WorkspacePackage[] {
  return findWorkspacePackages(rootDirectory).filter((workspacePackage) => workspacePackage.manifest.private !== true);
}

/**
 * The names of a manifest's optional peer dependencies.
 *
 * @example
 * optionalPeerNames(manifest); // ['drizzle-orm']
 */
export function optionalPeerNames(manifest: PackageManifest): string[] {
  return Object.keys(manifest.peerDependencies ?? {}).filter(
    (name) => manifest.peerDependenciesMeta?.[name]?.optional === true,
  );
}

/**
 * The package name a bare import specifier refers to (`drizzle-orm/pg-core` → `drizzle-orm`,
 * `@scope/name/sub` → `@scope/name`).
 *
 * @example
 * packageNameOfSpecifier('@strata/db-core/drizzle'); // '@strata/db-core'
 */
export function packageNameOfSpecifier(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
