import { sql, type Kysely } from 'kysely';
import { applyTenantPolicy } from '@strata/db-core';
import type { ProgrammaticMigration } from '@strata/db-migrate';
import {
  ensureCitextExtension,
  invitationColumns,
  invitationIndexes,
  memberColumns,
  memberIndexes,
  organizationColumns,
  organizationScopedIdColumn,
  primaryKeyColumn,
  sessionColumns,
  sessionIndexes,
  teamColumns,
  teamIndexes,
  teamMemberColumns,
  teamMemberIndexes,
  timestampColumns,
  userColumns,
  verificationTokenColumns,
  verificationTokenIndexes,
  type IndexBuilders,
} from '@strata/auth-schema';
import { tenantTables } from './demo-schema.js';

async function createIndexes(indexes: IndexBuilders): Promise<void> {
  for (const index of indexes) await index.execute();
}

/**
 * The demo's migrations, run by db-migrate as the owner role. Function migrations carry a
 * `checksum` (bump it when editing one) so db-migrate can detect drift.
 *
 * `appRole` is the role the app connects as: it gets DML rights on everything the owner
 * creates, and nothing else (it owns no table, so row-level security applies to it).
 */
export function demoMigrations(appRole: string): ProgrammaticMigration[] {
  return [
    {
      name: '001_grant_app_role',
      checksum: 'v1',
      up: async (db: Kysely<any>) => {
        const role = sql.id(appRole);
        await sql`grant usage on schema public to ${role}`.execute(db);
        await sql`alter default privileges in schema public grant select, insert, update, delete on tables to ${role}`.execute(db);
        await sql`alter default privileges in schema public grant usage, select on sequences to ${role}`.execute(db);
        // db-migrate created its bookkeeping table before this ran; readiness reads it as the app role.
        await sql`grant select on table strata_migrations to ${role}`.execute(db);
      },
    },
    {
      name: '002_auth_schema',
      // v2: members, invitations, teams and team_members have primary key (organization_id, id).
      checksum: 'v2',
      up: async (db: Kysely<any>) => {
        await ensureCitextExtension(db);
        const references = { users: 'users', organizations: 'organizations', teams: 'teams', members: 'members' };
        await db.schema.createTable('users').$call(primaryKeyColumn).$call(userColumns).$call(timestampColumns).execute();
        await db.schema.createTable('organizations').$call(primaryKeyColumn).$call(organizationColumns).$call(timestampColumns).execute();
        await db.schema
          .createTable('sessions')
          .$call(primaryKeyColumn)
          .$call((table) => sessionColumns(table, references))
          .$call(timestampColumns)
          .execute();
        await createIndexes(sessionIndexes(db.schema));
        await db.schema
          .createTable('verification_tokens')
          .$call(primaryKeyColumn)
          .$call((table) => verificationTokenColumns(table, references))
          .$call(timestampColumns)
          .execute();
        await createIndexes(verificationTokenIndexes(db.schema));
        await db.schema
          .createTable('members')
          .$call(organizationScopedIdColumn)
          .$call((table) => memberColumns(table, references))
          .$call(timestampColumns)
          .execute();
        await createIndexes(memberIndexes(db.schema));
        await db.schema.createTable('teams').$call(organizationScopedIdColumn).$call(teamColumns).$call(timestampColumns).execute();
        await createIndexes(teamIndexes(db.schema));
        await db.schema
          .createTable('invitations')
          .$call(organizationScopedIdColumn)
          .$call((table) => invitationColumns(table, references))
          .$call(timestampColumns)
          .execute();
        await createIndexes(invitationIndexes(db.schema));
        await db.schema
          .createTable('team_members')
          .$call(organizationScopedIdColumn)
          .$call((table) => teamMemberColumns(table, references))
          .$call(timestampColumns)
          .execute();
        await createIndexes(teamMemberIndexes(db.schema));
      },
    },
    {
      name: '003_projects',
      checksum: 'v1',
      up: async (db: Kysely<any>) => {
        await db.schema
          .createTable('projects')
          .$call(primaryKeyColumn)
          .addColumn('organization_id', 'uuid', (column) => column.notNull().references('organizations.id').onDelete('cascade'))
          .addColumn('name', 'text', (column) => column.notNull().check(sql`length(name) between 1 and 120`))
          .addColumn('description', 'text', (column) => column.notNull().defaultTo('').check(sql`length(description) <= 2000`))
          .addColumn('created_by', 'uuid', (column) => column.references('users.id').onDelete('set null'))
          .$call(timestampColumns)
          .addUniqueConstraint('projects_organization_id_name_key', ['organization_id', 'name'])
          .execute();
        // The list endpoint reads one organization's projects newest first.
        await db.schema.createIndex('projects_organization_id_created_at_idx').on('projects').columns(['organization_id', 'created_at']).execute();
      },
    },
    {
      name: '004_tenant_policies',
      checksum: 'v1',
      up: async (db: Kysely<any>) => {
        // ENABLE + FORCE row level security with organization_id = app.tenant_id.
        for (const table of tenantTables) await applyTenantPolicy(db, { table, tenantColumn: 'organization_id' });
      },
    },
  ];
}
