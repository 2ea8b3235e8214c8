import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findPgBouncer, startPgBouncer, type PgBouncerProcess } from './pgbouncer-process.js';
import { useTestDatabase } from './test-database.js';

const database = useTestDatabase();
let bouncer: PgBouncerProcess | undefined;

beforeAll(async () => {
  if (findPgBouncer()) bouncer = await startPgBouncer({ serverUrl: database.maintenanceUrl, defaultPoolSize: 1 });
});

afterAll(async () => {
  await bouncer?.stop();
});

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!findPgBouncer())('PgBouncer launcher', () => {
  it('lets a role created after start log in with its own password (auth_query, SCRAM pass-through)', async () => {
    const user = await withClient(bouncer!.routeThrough(database.directAppUrl), async (client) => {
      const { rows } = await client.query<{ user: string }>('select current_user as user');
      return rows[0]!.user;
    });
    expect(user).toBe(database.appRole);
    const wrongPassword = new URL(bouncer!.routeThrough(database.directAppUrl));
    wrongPassword.password = 'not-the-password';
    await expect(withClient(wrongPassword.toString(), async () => undefined)).rejects.toThrow(/authentication failed/);
  });

  it('pools in transaction mode: a session SET leaks to the next client of the same server connection', async () => {
    const url = bouncer!.routeThrough(database.directAppUrl);
    // One server connection (defaultPoolSize 1): what a session SET leaves behind is seen by
    // the next client, which is exactly why Strata sets the tenant transaction-locally.
    await withClient(url, (client) => client.query(`set app.tenant_id = 'leaked-by-session-set'`));
    const seen = await withClient(
      url,
      async (client) => (await client.query<{ value: string | null }>(`select current_setting('app.tenant_id', true) as value`)).rows[0]!.value,
    );
    expect(seen).toBe('leaked-by-session-set');
  });
});

describe.runIf(inject('strataPgBouncerPort') > 0)('STRATA_TEST_PGBOUNCER=1', () => {
  it('routes ownerUrl and appUrl through PgBouncer and keeps the direct URLs direct', async () => {
    const serverPort = async (url: string) =>
      await withClient(url, async (client) => (await client.query<{ port: number }>('select inet_server_port() as port')).rows[0]!.port);
    expect(database.pooler).toBe('pgbouncer');
    expect(new URL(database.appUrl).port).toBe(String(inject('strataPgBouncerPort')));
    expect(new URL(database.ownerUrl).port).toBe(String(inject('strataPgBouncerPort')));
    const realPort = Number(new URL(database.adminUrl).port || 5432);
    expect(await serverPort(database.appUrl)).toBe(realPort);
    expect(new URL(database.directAppUrl).port || '5432').toBe(String(realPort));
    expect(new URL(database.directOwnerUrl).port || '5432').toBe(String(realPort));
  });
});
