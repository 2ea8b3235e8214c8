import { pgTable, text } from 'drizzle-orm/pg-core';
import {
  accountColumns,
  oauthStateColumns,
  roleColumns,
  sessionColumns,
  userColumns,
  userRoleColumns,
  verificationTokenColumns,
} from '../drizzle/auth-columns.js';
import { organizationScopedIdColumn, primaryKeyColumn, timestampColumns } from '../drizzle/base-columns.js';
import {
  invitationColumns,
  memberColumns,
  organizationColumns,
  teamColumns,
  teamMemberColumns,
} from '../drizzle/organization-columns.js';
import {
  accountConstraints,
  invitationConstraints,
  memberConstraints,
  oauthStateConstraints,
  organizationConstraints,
  roleConstraints,
  sessionConstraints,
  teamConstraints,
  teamMemberConstraints,
  userConstraints,
  userRoleConstraints,
  verificationTokenConstraints,
} from '../drizzle/table-constraints.js';

/*
 * The same schema as `kysely-test-schema.ts`, written with the Drizzle column sets the way
 * an app's `schema.ts` would be.
 */

export const users = pgTable(
  'app_users',
  { ...primaryKeyColumn(), ...userColumns(), ...timestampColumns(), displayName: text('display_name') },
  (table) => userConstraints(table),
);

export const roles = pgTable('roles', { ...primaryKeyColumn(), ...roleColumns(), ...timestampColumns() }, (table) =>
  roleConstraints(table),
);

export const userRoles = pgTable('user_roles', { ...userRoleColumns(), ...timestampColumns() }, (table) =>
  userRoleConstraints(table, { users, roles }),
);

export const organizations = pgTable(
  'organizations',
  { ...primaryKeyColumn(), ...organizationColumns(), ...timestampColumns(), plan: text('plan').notNull().default('free') },
  (table) => organizationConstraints(table),
);

export const accounts = pgTable('accounts', { ...primaryKeyColumn(), ...accountColumns(), ...timestampColumns() }, (table) =>
  accountConstraints(table, { users }),
);

export const sessions = pgTable(
  'sessions',
  { ...primaryKeyColumn(), ...sessionColumns(), ...timestampColumns(), deviceLabel: text('device_label') },
  (table) => sessionConstraints(table, { users, organizations }),
);

export const oauthStates = pgTable(
  'oauth_states',
  { ...primaryKeyColumn(), ...oauthStateColumns(), ...timestampColumns() },
  (table) => oauthStateConstraints(table, { users }),
);

export const verificationTokens = pgTable(
  'verification_tokens',
  { ...primaryKeyColumn(), ...verificationTokenColumns(), ...timestampColumns() },
  (table) => verificationTokenConstraints(table, { users }),
);

export const members = pgTable('members', { ...organizationScopedIdColumn(), ...memberColumns(), ...timestampColumns() }, (table) =>
  memberConstraints(table, { users, organizations }),
);

export const teams = pgTable('teams', { ...organizationScopedIdColumn(), ...teamColumns(), ...timestampColumns() }, (table) =>
  teamConstraints(table, { organizations }),
);

export const invitations = pgTable(
  'invitations',
  { ...organizationScopedIdColumn(), ...invitationColumns(), ...timestampColumns() },
  (table) => invitationConstraints(table, { users, organizations, teams }),
);

export const teamMembers = pgTable(
  'team_members',
  { ...organizationScopedIdColumn(), ...teamMemberColumns(), ...timestampColumns() },
  (table) => teamMemberConstraints(table, { teams, members }),
);

/** Every table, as drizzle-kit wants its schema module. */
export const drizzleTestSchema = {
  users,
  roles,
  userRoles,
  organizations,
  accounts,
  sessions,
  oauthStates,
  verificationTokens,
  members,
  teams,
  invitations,
  teamMembers,
};
