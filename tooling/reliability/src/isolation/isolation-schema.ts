import { tenantPolicyStatements } from '@strata/db-core';
import type { Generated } from 'kysely';
import pg from 'pg';

/** The tables of the isolation workload, all behind tenant row-level security. */
export interface IsolationDatabase {
  notes: { id: Generated<string>; tenant_id: string; body: string };
  counters: { tenant_id: string; value: string };
  tags: { tenant_id: string; name: string };
}

/**
 * Creates the workload's tables as the owner: `notes` (bodies carry their tenant id, so a
 * misplaced row is visible to the verifier), `counters` (one per tenant, incremented in
 * transactions) and `tags` (only ever written by transactions that fail, so it must end
 * empty). Each gets ENABLE + FORCE row-level security and the Strata tenant policy.
 *
 * @example
 * await createIsolationSchema(database.directOwnerUrl);
 */
export async function createIsolationSchema(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`
      create table notes (id bigint generated always as identity primary key, tenant_id uuid not null, body text not null);
      create index notes_tenant_idx on notes (tenant_id, id);
      create table counters (tenant_id uuid primary key, value bigint not null);
      create table tags (tenant_id uuid not null, name text not null, primary key (tenant_id, name));
    `);
    for (const table of ['notes', 'counters', 'tags']) {
      for (const statement of tenantPolicyStatements({ table })) await client.query(statement);
    }
  } finally {
    await client.end();
  }
}
