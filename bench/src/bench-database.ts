import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedServer, withAdminClient, withDatabase } from '@strata/testkit';

/** A server and a scratch database for one benchmark run. */
export interface BenchDatabase {
  /** Superuser connection string to the scratch database. */
  readonly url: string;
  /** Connection string for a NOSUPERUSER, NOBYPASSRLS role (so RLS applies). */
  readonly appUrl: string;
  /** Human-readable name of the server, printed in the report. */
  readonly serverDescription: string;
  /** Drops the database (and stops the embedded server when one was started). */
  close(): Promise<void>;
}

/**
 * Opens the benchmark database: `DATABASE_URL` (a superuser URL) when set, otherwise an
 * embedded PostgreSQL started for this run. Benchmarks run on loopback only.
 */
export async function openBenchDatabase(label: string): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL;
  const server = external ? undefined : await startEmbeddedServer();
  const maintenanceUrl = external ?? server!.adminUrl;
  const name = `strata_bench_${label}_${randomBytes(3).toString('hex')}`;
  const appRole = `${name}_app`;
  const appPassword = randomBytes(12).toString('hex');
  const version = await withAdminClient(maintenanceUrl, async (client) => {
    await client.query(`create database ${pg.escapeIdentifier(name)}`);
    await client.query(
      `create role ${pg.escapeIdentifier(appRole)} login nosuperuser nobypassrls password ${pg.escapeLiteral(appPassword)}`,
    );
    return (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
  });
  const url = withDatabase(maintenanceUrl, name);
  return {
    url,
    appUrl: withDatabase(maintenanceUrl, name, { user: appRole, password: appPassword }),
    serverDescription: `PostgreSQL ${version} (${external ? 'DATABASE_URL' : 'embedded'})`,
    async close() {
      await withAdminClient(maintenanceUrl, async (client) => {
        await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
        await client.query(`drop role if exists ${pg.escapeIdentifier(appRole)}`);
      });
      await server?.stop();
    },
  };
}
