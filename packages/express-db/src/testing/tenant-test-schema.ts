import { sql, type Generated } from 'kysely';
import { createDb, tenantPolicyStatements } from '@strata/db-core';

/** The tables the express-db tests use. */
export interface TestDatabaseSchema {
  projects: { id: Generated<string>; tenant_id: string; name: string };
  deferred_checks: { id: number };
}

/**
 * Creates `projects` (a tenant table behind FORCE'd row-level security, name unique per
 * tenant) and `deferred_checks` (a DEFERRABLE INITIALLY DEFERRED unique key, violated only
 * at COMMIT) as the owner role.
 */
export async function createTestSchema(ownerUrl: string): Promise<void> {
  const owner = createDb({ connectionString: ownerUrl, max: 1 });
  try {
    await sql`create table projects (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null,
      name text not null check (length(name) <= 100),
      unique (tenant_id, name)
    )`.execute(owner);
    for (const statement of tenantPolicyStatements({ table: 'projects' })) await sql.raw(statement).execute(owner);
    await sql`create table deferred_checks (id int not null, constraint deferred_checks_id_key unique (id) deferrable initially deferred)`.execute(owner);
  } finally {
    await owner.close();
  }
}
