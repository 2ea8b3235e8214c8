/**
 * `pnpm check:pins`: packs every published package and checks that sibling ranges pin
 * one minor, that no `workspace:` specifier leaks, and that siblings satisfy each other.
 */
import { checkMinorPins } from '../minor-pin-check.js';
import { repositoryRoot } from '../repository-root.js';
import { reportCheckResult } from './report-check-result.js';

reportCheckResult('minor pinning (packed manifests)', checkMinorPins({ rootDirectory: repositoryRoot() }));
