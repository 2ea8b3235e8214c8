/**
 * `pnpm version-packages [--dry-run]`: use instead of `changeset version`. Same result,
 * except that a 0.x package whose peer sibling left its range gets a minor bump, not 1.0.0.
 */
import { versionPackages } from '../package-versioner.js';
import { repositoryRoot } from '../repository-root.js';

const dryRun = process.argv.includes('--dry-run');
const outcome = await versionPackages({ rootDirectory: repositoryRoot(), dryRun });
if (outcome.releases.length === 0) console.log('no pending changesets: nothing to version');
for (const release of outcome.releases) {
  console.log(`${dryRun ? 'would release' : 'released'} ${release.name}: ${release.oldVersion} → ${release.newVersion} (${release.type})`);
}
for (const adjustment of outcome.adjustments) {
  console.log(`  kept ${adjustment.name} in 0.x: ${adjustment.to} instead of ${adjustment.insteadOf} (a peer sibling left its range)`);
}
if (!dryRun && outcome.releases.length > 0) console.log('\nReview the CHANGELOG.md files and commit: git commit -am "Version packages"');
