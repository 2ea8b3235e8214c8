/**
 * `pnpm release [--dry-run]`: builds, runs every check (lint = publint + attw, API
 * contract, minor pins, install-alone), refuses to release with unconsumed changesets,
 * then packs every published package into `.release/`. Never publishes to a registry.
 */
import { execFileSync } from 'node:child_process';
import { readPendingChangesets } from '../changeset-coverage-check.js';
import { releaseToDirectory } from '../release-packer.js';
import { repositoryRoot } from '../repository-root.js';

const root = repositoryRoot();
const dryRun = process.argv.includes('--dry-run');

const pending = [...readPendingChangesets(root).keys()];
if (pending.length > 0) {
  const message = `${pending.length} pending changeset(s) (${pending.join(', ')}): run \`pnpm version-packages\` and commit before releasing`;
  if (!dryRun) {
    console.error(`✘ ${message}`);
    process.exit(1);
  }
  console.warn(`! ${message} (continuing: dry run)`);
}

try {
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', 'lint', 'check:api', 'check:pins', 'check:install', '--concurrency=1', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
  });
} catch {
  console.error('✘ a build or check failed (see above): nothing was released');
  process.exit(1);
}

const released = releaseToDirectory({ rootDirectory: root, dryRun });
for (const entry of released) {
  const state = entry.skipped ? 'already released, left alone' : dryRun ? 'would be written' : 'written';
  console.log(`${entry.name}@${entry.version}: ${entry.tarball} (${state})`);
}
console.log(dryRun ? 'dry run: nothing was written' : `released to ${root}/.release (install with: npm install <tarball>)`);
