/**
 * `pnpm check:install`: packs every published package, then installs each one alone with
 * npm in an empty temporary project (plus only the packed siblings it declares), imports
 * every entry point from ESM and CJS, and runs its smoke scenario against real PostgreSQL:
 * the server in DATABASE_URL when set, otherwise an embedded PostgreSQL started here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedServer, withAdminClient, withDatabase, type EmbeddedServer } from '@strata/testkit';
import { mergeCheckResults } from '../check-result.js';
import { forbiddenWhenInstalledAlone } from '../closed-box-rules.js';
import { checkInstallAlone } from '../install-alone-check.js';
import { checkMinorPins } from '../minor-pin-check.js';
import { repositoryRoot } from '../repository-root.js';
import { findPublishedPackages } from '../workspace-packages.js';
import { reportCheckResult } from './report-check-result.js';

const root = repositoryRoot();
const started = Date.now();
// Packing also checks the packed manifests: a leaked `workspace:` range fails here too.
const result = checkMinorPins({ rootDirectory: root });
const scenarioDirectory = new URL('../smoke-scenarios/', import.meta.url).pathname;

let server: EmbeddedServer | undefined;
let adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  server = await startEmbeddedServer();
  adminUrl = server.adminUrl;
  result.notes.push('smoke database: embedded PostgreSQL (DATABASE_URL not set)');
} else {
  result.notes.push('smoke database: the server in DATABASE_URL');
}

try {
  for (const [index, workspacePackage] of findPublishedPackages(root).entries()) {
    const scenario = join(scenarioDirectory, `${workspacePackage.name.split('/').pop()}.mjs`);
    const databaseName = `strata_smoke_${process.pid}_${index}`;
    const hasScenario = existsSync(scenario);
    if (hasScenario) await withAdminClient(adminUrl, (client) => client.query(`create database ${databaseName}`));
    try {
      mergeCheckResults(
        result,
        checkInstallAlone({
          packageName: workspacePackage.name,
          tarballs: result.tarballs,
          forbiddenPackages: forbiddenWhenInstalledAlone[workspacePackage.name] ?? [],
          ...(hasScenario ? { smokeScenarioFile: scenario, databaseUrl: withDatabase(adminUrl, databaseName) } : {}),
        }),
      );
      if (!hasScenario) result.notes.push(`${workspacePackage.name}: no smoke scenario (add src/smoke-scenarios/${workspacePackage.name.split('/').pop()}.mjs)`);
    } finally {
      if (hasScenario) await withAdminClient(adminUrl, (client) => client.query(`drop database if exists ${databaseName} with (force)`));
    }
  }
} finally {
  await server?.stop();
}
result.notes.push(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
reportCheckResult('install alone (packed, npm, ESM + CJS, smoke on PostgreSQL)', result);
