import type { ReleasePlan } from '@changesets/types';
import semver from 'semver';

/** One release the guard changed. */
export interface ZeroMajorAdjustment {
  readonly name: string;
  readonly from: string;
  readonly insteadOf: string;
  readonly to: string;
}

/**
 * Keeps 0.x packages in 0.x when changesets would bump them to 1.0.0 only because a
 * sibling they peer-depend on left their range.
 *
 * Why: in 0.x every minor of a sibling leaves a `^0.x.y` peer range, and changesets then
 * gives the peer dependent a *major* bump (changesets issue #794; the
 * `onlyUpdatePeerDependentsWhenOutOfRange` option does not help because the range is
 * left). For a 0.x package, a breaking release is a minor: `0.1.0` → `0.2.0`, not
 * `1.0.0`. A `major` changeset written on purpose for a package is respected.
 *
 * @example
 * const adjustments = keepZeroVersionsInZero(releasePlan);
 * // [{ name: '@strata/express-db', from: '0.1.0', insteadOf: '1.0.0', to: '0.2.0' }]
 */
export function keepZeroVersionsInZero(releasePlan: ReleasePlan): ZeroMajorAdjustment[] {
  const requestedMajors = new Set(
    releasePlan.changesets.flatMap((changeset) => changeset.releases.filter((release) => release.type === 'major').map((release) => release.name)),
  );
  const adjustments: ZeroMajorAdjustment[] = [];
  for (const release of releasePlan.releases) {
    if (release.type !== 'major' || requestedMajors.has(release.name) || semver.major(release.oldVersion) !== 0) continue;
    const to = semver.inc(release.oldVersion, 'minor');
    if (!to) continue;
    adjustments.push({ name: release.name, from: release.oldVersion, insteadOf: release.newVersion, to });
    release.type = 'minor';
    release.newVersion = to;
  }
  return adjustments;
}
