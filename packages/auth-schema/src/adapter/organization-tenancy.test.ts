import { applyTenantPolicy, createDb, RowLevelSecurityError, withTenant, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { Kysely, PostgresDialect, type Generated } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryKeyColumn, timestampColumns } from '../kysely/base-columns.js';
import { testTableNames, type TestDatabase } from '../testing/kysely-test-schema.js';
import { createTestSchema } from '../testing/test-schema-setup.js';
import { createAuthAdapter } from './auth-adapter.js';
import { createTeamAdapter } from './team-adapter.js';

/*
 * The organization as the tenant: organization-scoped tables carry `organization_id`, so
 * db-core's tenant policy (ENABLE + FORCE RLS, `organization_id = current setting`) puts them
 * behind row-level security. Here the mixin's `teams` table and an app table `projects` are
 * protected; the app role (not superuser, not BYPASSRLS, not owner) only sees the tenant's
 * rows inside `withTenant`, and the adapters work inside it through `withDatabase(trx)`.
 */

interface Database extends TestDatabase {
  projects: { id: Generated<string>; organization_id: string; name: string; created_at: Generated<Date>; updated_at: Generated<Date> };
}

const database = useTestDatabase();
let db: StrataDb<Database>;

beforeAll(async () => {
  await createTestSchema(database, 'kysely');
  const owner = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.ownerUrl }) }) });
  try {
    await owner.schema
      .createTable('projects')
      .$call(primaryKeyColumn)
      .addColumn('organization_id', 'uuid', (column) => column.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('name', 'text', (column) => column.notNull())
      .$call(timestampColumns)
      .execute();
    for (const table of ['teams', 'projects']) {
      await applyTenantPolicy(owner, { table, tenantColumn: 'organization_id' });
    }
  } finally {
    await owner.destroy();
  }
  db = createDb<Database>({ connectionString: database.appUrl });
});

afterAll(async () => {
  await db?.close();
});

describe('organization as the RLS tenant', () => {
  it('scopes teams and app tables to the organization in withTenant', async () => {
    const auth = createAuthAdapter({ db, tables: testTableNames });
    const orgs = createTeamAdapter({ db, tables: testTableNames });
    const alice = await auth.createUser({ email: 'alice@example.com' });
    const bob = await auth.createUser({ email: 'bob@example.com' });
    const { organization: acme } = await orgs.createOrganization({ name: 'Acme', slug: 'acme' }, { ownerId: alice.id });
    const { organization: globex } = await orgs.createOrganization({ name: 'Globex', slug: 'globex' }, { ownerId: bob.id });

    const acmeTeam = await withTenant(db, acme.id, async (trx) => {
      const scoped = orgs.withDatabase(trx);
      const team = await scoped.createTeam({ organization_id: acme.id, name: 'Acme platform' });
      await scoped.addTeamMember({ team_id: team.id, user_id: alice.id });
      await trx.insertInto('projects').values({ organization_id: acme.id, name: 'Rocket' }).execute();
      return team;
    });
    await withTenant(db, globex.id, async (trx) => {
      await orgs.withDatabase(trx).createTeam({ organization_id: globex.id, name: 'Globex ops' });
      await trx.insertInto('projects').values({ organization_id: globex.id, name: 'Hammock' }).execute();
    });

    const seenByAcme = await withTenant(db, acme.id, async (trx) => ({
      teams: (await orgs.withDatabase(trx).listTeams(acme.id)).map((team) => team.name),
      foreignTeams: await orgs.withDatabase(trx).listTeams(globex.id),
      projects: (await trx.selectFrom('projects').select('name').execute()).map((row) => row.name),
      teamOfUser: (await orgs.withDatabase(trx).listTeamsForUser(acme.id, alice.id)).map((team) => team.id),
    }));
    expect(seenByAcme).toEqual({ teams: ['Acme platform'], foreignTeams: [], projects: ['Rocket'], teamOfUser: [acmeTeam.id] });

    // Without a tenant, nothing is visible (fail-closed) …
    expect(await orgs.listTeams(acme.id)).toEqual([]);
    // … and a tenant cannot write into another organization.
    await expect(
      withTenant(db, acme.id, (trx) => orgs.withDatabase(trx).createTeam({ organization_id: globex.id, name: 'Sneaky' })),
    ).rejects.toBeInstanceOf(RowLevelSecurityError);
  });
});
