import type { TestProject } from 'vitest/node';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.js';
import { startPgBouncer, type PgBouncerProcess } from './pgbouncer-process.js';
import './provided-context.js';
import { createTemplateDatabase, dropStaleObjects, dropTemplateDatabase } from './server-preparation.js';


/**
 * Vitest global setup: one PostgreSQL server per test run.
 *
 * With `DATABASE_URL` set (a superuser connection string), that server is used. Otherwise an
 * embedded PostgreSQL is started on a free port in a temporary directory and stopped (its
 * directory deleted) at teardown; if the run exits another way (Ctrl-C, SIGTERM, a crash
 * that still exits), a synchronous 'exit' hook does it. A run killed with SIGKILL leaves its
 * server and directory behind; the next run stops and removes them.
 *
 * With `STRATA_TEST_PGBOUNCER=1`, a PgBouncer in transaction pooling mode is started in front
 * of that server and every test database's `ownerUrl` and `appUrl` go through it (admin URLs
 * stay direct; `directOwnerUrl`/`directAppUrl` are there for migrations and other session work).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = process.pid;
  let server: EmbeddedServer | undefined;
  const externalUrl = process.env.DATABASE_URL;
  if (externalUrl) {
    await dropStaleObjects(externalUrl);
  } else {
    server = await startEmbeddedServer();
  }
  const adminUrl = externalUrl ?? server!.adminUrl;
  let bouncer: PgBouncerProcess | undefined;
  if (process.env.STRATA_TEST_PGBOUNCER === '1') {
    try {
      bouncer = await startPgBouncer({ serverUrl: adminUrl });
    } catch (error) {
      await server?.stop();
      throw error;
    }
  }

  const templateDatabase = await createTemplateDatabase(adminUrl, runId);
  project.provide('strataAdminUrl', adminUrl);
  project.provide('strataTemplateDatabase', templateDatabase);
  project.provide('strataRunId', runId);
  project.provide('strataServerKind', server ? 'embedded' : 'external');
  project.provide('strataPgBouncerPort', bouncer?.port ?? 0);

  return async () => {
    try {
      await bouncer?.stop();
      if (!server) await dropTemplateDatabase(adminUrl, runId);
    } finally {
      await server?.stop();
    }
  };
}
