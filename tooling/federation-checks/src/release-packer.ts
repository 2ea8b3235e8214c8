import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packPackage, readPackedManifest } from './package-packer.js';
import { findPublishedPackages } from './workspace-packages.js';

/** One package the release wrote (or would write). */
export interface ReleasedPackage {
  readonly name: string;
  readonly version: string;
  readonly tarball: string;
  readonly skipped: boolean;
}

/**
 * "Publishes" every published package to a local folder: `pnpm pack` into
 * `outputDirectory` (default `.release/`), one `<scope>-<name>-<version>.tgz` per package.
 * A tarball that already exists means that version was released, and is left alone
 * (like a registry refusing to overwrite a version). With `dryRun`, packs into a temporary
 * folder, reports, and deletes it. Never talks to a registry.
 *
 * @example
 * const released = releaseToDirectory({ rootDirectory: '/work/main', dryRun: true });
 */
export function releaseToDirectory(options: { rootDirectory: string; outputDirectory?: string; dryRun?: boolean }): ReleasedPackage[] {
  const outputDirectory = options.outputDirectory ?? join(options.rootDirectory, '.release');
  const staging = mkdtempSync(join(tmpdir(), 'strata-release-'));
  try {
    if (!options.dryRun) mkdirSync(outputDirectory, { recursive: true });
    return findPublishedPackages(options.rootDirectory).map((workspacePackage) => {
      const staged = packPackage(workspacePackage.directory, staging);
      const manifest = readPackedManifest(staged);
      const target = join(outputDirectory, basename(staged));
      const skipped = existsSync(target);
      if (!options.dryRun && !skipped) renameSync(staged, target);
      return { name: manifest.name, version: manifest.version, tarball: target, skipped };
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
