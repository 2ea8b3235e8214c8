/**
 * `pnpm check:api`: PUBLIC_API.md against the real exports of every built entry point.
 * Run after `pnpm build` (the turbo task `check:api` depends on every package's build).
 */
import { checkApiContract } from '../api-contract-check.js';
import { repositoryRoot } from '../repository-root.js';
import { reportCheckResult } from './report-check-result.js';

reportCheckResult('API contract (PUBLIC_API.md)', await checkApiContract({ rootDirectory: repositoryRoot() }));
