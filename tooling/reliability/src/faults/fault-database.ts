import { tenantPolicyStatements } from '@strata/db-core';
import type { Generated } from 'kysely';
import pg from 'pg';

/** The table the fault scenarios write to: each acknowledged write has a unique request id. */
export interface FaultDatabase {
  orders: { id: Generated<string>; tenant_id: string; request_id: string; amount: number };
}

/**
 * Creates `orders` behind tenant RLS, owned by the superuser, and a login role `app` (not
 * superuser, no BYPASSRLS) with DML on it. Returns the app role's URL.
 *
 * @example
 * const appUrl = await createFaultSchema(server.adminUrl);
 */
export async function createFaultSchema(adminUrl: string, appPassword: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create role app login nosuperuser nobypassrls password ${pg.escapeLiteral(appPassword)}`);
    await client.query(`
      create table orders (
        id bigint generated always as identity primary key,
        tenant_id uuid not null,
        request_id uuid not null unique,
        amount integer not null
      );
      create index orders_tenant_idx on orders (tenant_id);
      grant select, insert, update, delete on orders to app;
    `);
    for (const statement of tenantPolicyStatements({ table: 'orders' })) await client.query(statement);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.username = 'app';
  url.password = appPassword;
  return url.toString();
}

/**
 * The request ids among `acknowledged` that are not in `orders` (read as superuser): writes
 * the application was told succeeded but that the database lost.
 *
 * @example
 * expect(await findLostWrites(server.adminUrl, acknowledged)).toEqual([]);
 */
export async function findLostWrites(adminUrl: string, acknowledged: readonly string[]): Promise<{ lost: string[]; stored: number }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ request_id: string }>('select request_id::text from orders');
    const stored = new Set(rows.map((row) => row.request_id));
    return { lost: acknowledged.filter((requestId) => !stored.has(requestId)), stored: stored.size };
  } finally {
    await client.end();
  }
}
