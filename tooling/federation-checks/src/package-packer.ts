import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnvironment } from './child-process-environment.js';
import type { PackageManifest, WorkspacePackage } from './workspace-packages.js';

/** Which tool packs: pnpm rewrites `workspace:` specifiers, npm does not (used by tests to leak one). */
export type PackTool = 'pnpm' | 'npm';

/**
 * Packs one package folder into `destination` and returns the tarball's absolute path.
 *
 * @example
 * const tarball = packPackage('/repo/packages/db-core', '/repo/.tmp/packs');
 */
export function packPackage(directory: string, destination: string, tool: PackTool = 'pnpm'): string {
  mkdirSync(destination, { recursive: true });
  const output = execFileSync(tool, ['pack', '--pack-destination', destination, '--json'], {
    cwd: directory,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: tool === 'npm' ? cleanEnvironment() : process.env,
  });
  const parsed = JSON.parse(output) as { filename: string } | { filename: string }[];
  const filename = Array.isArray(parsed) ? parsed[0]?.filename : parsed.filename;
  if (!filename) throw new Error(`${tool} pack printed no file name in ${directory}`);
  return filename.startsWith('/') ? filename : join(destination, filename);
}

/**
 * Packs every given package; returns package name → tarball path.
 *
 * @example
 * const tarballs = packPackages(findPublishedPackages(root), join(root, '.tmp/packs'));
 */
export function packPackages(
  packages: readonly WorkspacePackage[],
  destination: string,
  tool: PackTool = 'pnpm',
): Map<string, string> {
  return new Map(packages.map((workspacePackage) => [workspacePackage.name, packPackage(workspacePackage.directory, destination, tool)]));
}

/**
 * Reads `package/package.json` out of a tarball: the manifest exactly as a registry
 * would serve it.
 *
 * @example
 * readPackedManifest(tarball).peerDependencies; // { '@strata/db-core': '^0.1.0' }
 */
export function readPackedManifest(tarball: string): PackageManifest {
  const text = execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
  return JSON.parse(text) as PackageManifest;
}
