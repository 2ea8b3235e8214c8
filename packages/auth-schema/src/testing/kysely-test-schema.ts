import type { Generated, Kysely } from 'kysely';
import { accountColumns, oauthStateColumns, sessionColumns, userColumns, verificationTokenColumns } from '../kysely/auth-columns.js';
import { organizationScopedIdColumn, primaryKeyColumn, timestampColumns } from '../kysely/base-columns.js';
import { ensureCitextExtension } from '../kysely/citext-extension.js';
import {
  accountIndexes,
  invitationIndexes,
  memberIndexes,
  oauthStateIndexes,
  sessionIndexes,
  teamIndexes,
  teamMemberIndexes,
  userRoleIndexes,
  verificationTokenIndexes,
  type IndexBuilders,
} from '../kysely/index-builders.js';
import { invitationColumns, memberColumns, organizationColumns } from '../kysely/organization-columns.js';
import { roleColumns, userRoleColumns } from '../kysely/role-columns.js';
import { teamColumns, teamMemberColumns } from '../kysely/team-columns.js';
import type {
  AccountTable,
  InvitationTable,
  MemberTable,
  OAuthStateTable,
  OrganizationTable,
  RoleTable,
  SessionTable,
  TeamMemberTable,
  TeamTable,
  UserRoleTable,
  UserTable,
  VerificationTokenTable,
} from '../schema/table-types.js';

/** The test app's database: its own users table name and a custom `display_name` column. */
export interface TestDatabase {
  app_users: UserTable & { display_name: string | null };
  accounts: AccountTable;
  sessions: SessionTable & { device_label: string | null };
  oauth_states: OAuthStateTable;
  verification_tokens: VerificationTokenTable;
  roles: RoleTable;
  user_roles: UserRoleTable;
  organizations: OrganizationTable & { plan: Generated<string> };
  members: MemberTable;
  invitations: InvitationTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
}

/** The app's table names for the adapters. */
export const testTableNames = {
  users: 'app_users',
  accounts: 'accounts',
  sessions: 'sessions',
  oauthStates: 'oauth_states',
  verificationTokens: 'verification_tokens',
  roles: 'roles',
  userRoles: 'user_roles',
  organizations: 'organizations',
  members: 'members',
  invitations: 'invitations',
  teams: 'teams',
  teamMembers: 'team_members',
} as const;

async function executeAll(indexes: IndexBuilders): Promise<void> {
  for (const index of indexes) await index.execute();
}

/**
 * The whole schema built with the Kysely mixins, the way an app's migration would. The same
 * schema is defined with the Drizzle column sets in `drizzle-test-schema.ts`.
 */
export async function createKyselyTestSchema(db: Kysely<any>): Promise<void> {
  const references = { users: 'app_users' };
  await ensureCitextExtension(db);
  await db.schema
    .createTable('app_users')
    .$call(primaryKeyColumn)
    .$call(userColumns)
    .$call(timestampColumns)
    .addColumn('display_name', 'text')
    .execute();
  await db.schema.createTable('roles').$call(primaryKeyColumn).$call(roleColumns).$call(timestampColumns).execute();
  await db.schema
    .createTable('user_roles')
    .$call((table) => userRoleColumns(table, references))
    .$call(timestampColumns)
    .execute();
  await executeAll(userRoleIndexes(db.schema));
  await db.schema
    .createTable('organizations')
    .$call(primaryKeyColumn)
    .$call(organizationColumns)
    .$call(timestampColumns)
    .addColumn('plan', 'text', (column) => column.notNull().defaultTo('free'))
    .execute();
  await db.schema
    .createTable('accounts')
    .$call(primaryKeyColumn)
    .$call((table) => accountColumns(table, references))
    .$call(timestampColumns)
    .execute();
  await executeAll(accountIndexes(db.schema));
  await db.schema
    .createTable('sessions')
    .$call(primaryKeyColumn)
    .$call((table) => sessionColumns(table, { ...references, organizations: 'organizations' }))
    .$call(timestampColumns)
    .addColumn('device_label', 'text')
    .execute();
  await executeAll(sessionIndexes(db.schema));
  await db.schema
    .createTable('oauth_states')
    .$call(primaryKeyColumn)
    .$call((table) => oauthStateColumns(table, references))
    .$call(timestampColumns)
    .execute();
  await executeAll(oauthStateIndexes(db.schema));
  await db.schema
    .createTable('verification_tokens')
    .$call(primaryKeyColumn)
    .$call((table) => verificationTokenColumns(table, references))
    .$call(timestampColumns)
    .execute();
  await executeAll(verificationTokenIndexes(db.schema));
  await db.schema
    .createTable('members')
    .$call(organizationScopedIdColumn)
    .$call((table) => memberColumns(table, references))
    .$call(timestampColumns)
    .execute();
  await executeAll(memberIndexes(db.schema));
  await db.schema.createTable('teams').$call(organizationScopedIdColumn).$call(teamColumns).$call(timestampColumns).execute();
  await executeAll(teamIndexes(db.schema));
  await db.schema
    .createTable('invitations')
    .$call(organizationScopedIdColumn)
    .$call((table) => invitationColumns(table, { ...references, teams: 'teams' }))
    .$call(timestampColumns)
    .execute();
  await executeAll(invitationIndexes(db.schema));
  await db.schema.createTable('team_members').$call(organizationScopedIdColumn).$call(teamMemberColumns).$call(timestampColumns).execute();
  await executeAll(teamMemberIndexes(db.schema));
}
