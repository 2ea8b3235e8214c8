/**
 * `pnpm check:changesets`: every release-relevant change to a published package has a
 * pending changeset. Set STRATA_CHANGESET_BASE (e.g. `origin/main`) or pass `--base <ref>`
 * to compare with a pull request's target; otherwise each package is compared with its
 * last release. See docs/versioning.md.
 */
import { checkChangesetCoverage } from '../changeset-coverage-check.js';
import { repositoryRoot } from '../repository-root.js';
import { reportCheckResult } from './report-check-result.js';

const baseFlag = process.argv.indexOf('--base');
const baseRef = (baseFlag >= 0 ? process.argv[baseFlag + 1] : undefined) ?? process.env.STRATA_CHANGESET_BASE;
reportCheckResult(
  'changesets',
  checkChangesetCoverage({ rootDirectory: repositoryRoot(), ...(baseRef ? { baseRef } : {}) }),
);
