import applyReleasePlan from '@changesets/apply-release-plan';
import { read as readChangesetConfig } from '@changesets/config';
import getReleasePlan from '@changesets/get-release-plan';
import type { ReleasePlan } from '@changesets/types';
import { getPackages } from '@manypkg/get-packages';
import { repositoryRoot } from './repository-root.js';
import { keepZeroVersionsInZero, type ZeroMajorAdjustment } from './zero-major-guard.js';

/** Options of {@link versionPackages}. */
export interface VersionPackagesOptions {
  readonly rootDirectory: string;
  /** Compute and return the plan without writing anything. */
  readonly dryRun?: boolean;
}

/** What {@link versionPackages} did (or would do). */
export interface VersionPackagesOutcome {
  readonly releases: ReleasePlan['releases'];
  readonly adjustments: ZeroMajorAdjustment[];
  readonly changedFiles: string[];
}

/**
 * `changeset version`, with the 0.x guard: reads the pending changesets and the
 * changesets config, assembles the release plan with changesets' own libraries, keeps
 * peer-dependent 0.x packages in 0.x (see {@link keepZeroVersionsInZero}), then applies
 * the plan: versions bumped, dependents' ranges updated, one CHANGELOG.md per package
 * written, changesets consumed.
 *
 * @example
 * const outcome = await versionPackages({ rootDirectory: '/work/main' });
 * outcome.releases.map((release) => `${release.name}@${release.newVersion}`);
 */
export async function versionPackages(options: VersionPackagesOptions): Promise<VersionPackagesOutcome> {
  const packages = await getPackages(options.rootDirectory);
  const config = await readChangesetConfig(options.rootDirectory, packages);
  const releasePlan = await getReleasePlan(options.rootDirectory, undefined, config);
  const adjustments = keepZeroVersionsInZero(releasePlan);
  const releases = releasePlan.releases.filter((release) => release.type !== 'none');
  if (options.dryRun || releases.length === 0) return { releases, adjustments, changedFiles: [] };
  // The changelog generator ("@changesets/cli/changelog") resolves from the real
  // workspace root, also when versioning a temporary copy in tests.
  const changedFiles = await applyReleasePlan(releasePlan, packages, config, undefined, repositoryRoot());
  return { releases, adjustments, changedFiles };
}
