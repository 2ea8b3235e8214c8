import { randomBytes } from 'node:crypto';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import './provided-context.js';
import { withAdminClient, withDatabase } from './admin-client.js';
import { testDatabaseName } from './naming.js';

/** A fresh database for one test file, with its two roles. */
export interface TestDatabase {
  /** Name of the database. */
  readonly name: string;
  /** Superuser connection string to this database (for setup that needs superuser). */
  readonly adminUrl: string;
  /** Superuser connection string to the server's maintenance database `postgres`. */
  readonly maintenanceUrl: string;
  /** The owner role: owns the database and the public schema, runs DDL and migrations. */
  readonly ownerRole: string;
  readonly ownerUrl: string;
  /**
   * The application role: NOSUPERUSER, NOBYPASSRLS, owns nothing, and gets DML rights on
   * what the owner creates in `public`. RLS applies to it, so tenancy tests mean something.
   */
  readonly appRole: string;
  readonly appUrl: string;
  /**
   * The owner and app URLs without any pooler in between. Same as `ownerUrl`/`appUrl` unless
   * the run uses PgBouncer (STRATA_TEST_PGBOUNCER=1); migrations (session advisory lock) and
   * other session-level work must use these.
   */
  readonly directOwnerUrl: string;
  readonly directAppUrl: string;
  /** `pgbouncer` when `ownerUrl`/`appUrl` go through the run's PgBouncer (transaction mode). */
  readonly pooler: 'pgbouncer' | 'none';
  /** Which server the run uses: the embedded one, or the one in DATABASE_URL. */
  readonly serverKind: 'embedded' | 'external';
  /** Drops the database and its roles. Called automatically by `useTestDatabase`. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh database (a copy of the run's template, which has `citext`) with an owner
 * role and an application role. Prefer `useTestDatabase()` in test files.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const maintenanceUrl = inject('strataAdminUrl');
  const template = inject('strataTemplateDatabase');
  const runId = inject('strataRunId');
  const name = testDatabaseName(runId, randomBytes(5).toString('hex'));
  const ownerRole = `${name}_owner`;
  const appRole = `${name}_app`;
  const ownerPassword = randomBytes(12).toString('hex');
  const appPassword = randomBytes(12).toString('hex');
  const owner = escapeIdentifier(ownerRole);
  const app = escapeIdentifier(appRole);

  await withAdminClient(maintenanceUrl, async (client) => {
    await client.query(
      `create role ${owner} login nosuperuser nocreatedb nocreaterole nobypassrls password ${escapeLiteral(ownerPassword)}`,
    );
    await client.query(
      `create role ${app} login nosuperuser nocreatedb nocreaterole nobypassrls noinherit password ${escapeLiteral(appPassword)}`,
    );
    await client.query(`create database ${escapeIdentifier(name)} owner ${owner} template ${escapeIdentifier(template)}`);
  });
  const adminUrl = withDatabase(maintenanceUrl, name);
  await withAdminClient(adminUrl, async (client) => {
    // PostgreSQL 15+ makes `public` owned by pg_database_owner (our owner role); on older
    // servers, hand it over explicitly so the owner can run DDL there.
    await client.query(`alter schema public owner to ${owner}`);
    await client.query(`grant usage on schema public to ${app}`);
    await client.query(
      `alter default privileges for role ${owner} in schema public grant select, insert, update, delete on tables to ${app}`,
    );
    await client.query(`alter default privileges for role ${owner} in schema public grant usage, select on sequences to ${app}`);
    await client.query(`alter default privileges for role ${owner} in schema public grant execute on functions to ${app}`);
  });

  const poolerPort = inject('strataPgBouncerPort') ?? 0;
  const directOwnerUrl = withDatabase(maintenanceUrl, name, { user: ownerRole, password: ownerPassword });
  const directAppUrl = withDatabase(maintenanceUrl, name, { user: appRole, password: appPassword });
  // `?pgbouncer=true` tells db-core's createDb to use pooler-safe settings (transaction-local
  // timeouts, no named prepared statements); plain pg ignores nothing it does not parse.
  const throughPooler = (url: string) => {
    if (poolerPort === 0) return url;
    const pooled = new URL(withPort(url, poolerPort));
    pooled.searchParams.set('pgbouncer', 'true');
    return pooled.toString();
  };
  let dropped = false;
  return {
    name,
    adminUrl,
    maintenanceUrl,
    ownerRole,
    ownerUrl: throughPooler(directOwnerUrl),
    appRole,
    appUrl: throughPooler(directAppUrl),
    directOwnerUrl,
    directAppUrl,
    pooler: poolerPort > 0 ? 'pgbouncer' : 'none',
    serverKind: inject('strataServerKind'),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdminClient(maintenanceUrl, async (client) => {
        await client.query(`drop database if exists ${escapeIdentifier(name)} with (force)`);
        await client.query(`drop role if exists ${app}`);
        await client.query(`drop role if exists ${owner}`);
      });
    },
  };
}

/** Points a loopback connection string at another port (the run's PgBouncer). */
function withPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}

/**
 * Registers `beforeAll`/`afterAll` hooks that create a fresh database for the current test
 * file and drop it afterwards. Read the returned object's properties inside tests/hooks.
 *
 * @example
 * const database = useTestDatabase();
 * it('connects as the app role', async () => {
 *   const db = createDb({ connectionString: database.appUrl });
 * });
 */
export function useTestDatabase(): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.drop();
  });
  return new Proxy({} as TestDatabase, {
    get(_target, property) {
      if (!current) throw new Error('useTestDatabase(): the database is only available inside tests and hooks');
      return current[property as keyof TestDatabase];
    },
  });
}
