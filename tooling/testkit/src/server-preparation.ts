import { escapeIdentifier } from 'pg';
import { withAdminClient, withDatabase } from './admin-client.js';
import { isProcessAlive, runIdOf, templateDatabaseName } from './naming.js';

/**
 * Drops databases and roles left on a shared server (DATABASE_URL) by test runs that died
 * before their teardown. Only objects whose encoded run pid is dead are touched, so
 * concurrent runs on the same machine leave each other alone.
 */
export async function dropStaleObjects(adminUrl: string): Promise<void> {
  await withAdminClient(adminUrl, async (client) => {
    const databases = await client.query<{ datname: string }>(
      `select datname from pg_database where datname like 'strata\\_t\\_%'`,
    );
    for (const { datname } of databases.rows) {
      const runId = runIdOf(datname);
      if (runId === undefined || isProcessAlive(runId)) continue;
      await client.query(`drop database if exists ${escapeIdentifier(datname)} with (force)`);
    }
    const roles = await client.query<{ rolname: string }>(
      `select rolname from pg_roles where rolname like 'strata\\_t\\_%'`,
    );
    for (const { rolname } of roles.rows) {
      const runId = runIdOf(rolname);
      if (runId === undefined || isProcessAlive(runId)) continue;
      await client.query(`drop role if exists ${escapeIdentifier(rolname)}`).catch(() => undefined);
    }
  });
}

/**
 * Creates this run's template database. Every test file's database is a copy of it, which
 * is much faster than creating extensions again for each file.
 */
export async function createTemplateDatabase(adminUrl: string, runId: number): Promise<string> {
  const name = templateDatabaseName(runId);
  await withAdminClient(adminUrl, async (client) => {
    await client.query(`drop database if exists ${escapeIdentifier(name)} with (force)`);
    await client.query(`create database ${escapeIdentifier(name)}`);
  });
  await withAdminClient(withDatabase(adminUrl, name), async (client) => {
    await client.query('create extension if not exists citext');
  });
  return name;
}

/** Drops this run's template database at the end of the run. */
export async function dropTemplateDatabase(adminUrl: string, runId: number): Promise<void> {
  await withAdminClient(adminUrl, async (client) => {
    await client.query(`drop database if exists ${escapeIdentifier(templateDatabaseName(runId))} with (force)`);
  });
}
