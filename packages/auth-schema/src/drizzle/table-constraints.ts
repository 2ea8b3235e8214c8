import { getTableName, sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  primaryKey,
  unique,
  uniqueIndex,
  type AnyPgColumn,
  type PgTableExtraConfigValue,
} from 'drizzle-orm/pg-core';
import { constraintName, pendingInvitationIndexName } from '../schema/constraint-names.js';
import { invitationStatuses } from '../schema/domain-values.js';

/*
 * Constraint and index helpers for `pgTable`'s third argument. Names are the same as the
 * Kysely mixins' (PostgreSQL's default style, `accounts_user_id_fkey`), so both dialects
 * produce the same catalog and the adapters can recognise every constraint by name.
 */

/** A column as the third argument of `pgTable` receives it. */
type Column = AnyPgColumn;
/** A referenced table: anything with the primary-key column set. */
type TableWithId = { readonly id: Column };

function tableNameOf(column: Column): string {
  return getTableName(column.table);
}

function cascadingForeignKey(
  tableName: string,
  columns: [Column, ...Column[]],
  foreignColumns: [Column, ...Column[]],
  onDelete: 'cascade' | 'set null',
): PgTableExtraConfigValue {
  const name = constraintName(
    tableName,
    columns.map((column) => column.name),
    'fkey',
  );
  return foreignKey({ name, columns, foreignColumns }).onDelete(onDelete);
}

/**
 * `primary key (organization_id, id)` of an organization-scoped table: Citus can only
 * enforce keys that include the distribution column.
 */
function organizationScopedPrimaryKey(tableName: string, table: { id: Column; organizationId: Column }): PgTableExtraConfigValue {
  return primaryKey({ name: constraintName(tableName, [], 'pkey'), columns: [table.organizationId, table.id] });
}

function plainIndex(tableName: string, columns: [Column, ...Column[]]): PgTableExtraConfigValue {
  const [first, ...rest] = columns;
  return index(
    constraintName(
      tableName,
      columns.map((column) => column.name),
      'idx',
    ),
  ).on(first, ...rest);
}

function uniqueConstraint(tableName: string, columns: [Column, ...Column[]]): PgTableExtraConfigValue {
  const [first, ...rest] = columns;
  return unique(
    constraintName(
      tableName,
      columns.map((column) => column.name),
      'key',
    ),
  ).on(first, ...rest);
}

/**
 * Constraints of the users table: unique `email`.
 *
 * @example
 * pgTable('users', { ...primaryKeyColumn(), ...userColumns(), ...timestampColumns() }, (table) => userConstraints(table));
 */
export function userConstraints(table: { email: Column }): PgTableExtraConfigValue[] {
  return [uniqueConstraint(tableNameOf(table.email), [table.email])];
}

/**
 * Constraints of the accounts table: unique `(provider, provider_account_id)`, `user_id`
 * references users (cascade), index on `user_id`.
 *
 * @example
 * pgTable('accounts', { ...primaryKeyColumn(), ...accountColumns(), ...timestampColumns() }, (table) => accountConstraints(table, { users }));
 */
export function accountConstraints(
  table: { userId: Column; provider: Column; providerAccountId: Column },
  references: { users: TableWithId },
): PgTableExtraConfigValue[] {
  const name = tableNameOf(table.userId);
  return [
    uniqueConstraint(name, [table.provider, table.providerAccountId]),
    cascadingForeignKey(name, [table.userId], [references.users.id], 'cascade'),
    plainIndex(name, [table.userId]),
  ];
}

/**
 * Constraints of the sessions table: unique `token_hash`, `user_id` references users
 * (cascade), optionally `active_organization_id` references organizations (set null),
 * indexes on `user_id` and `expires_at`.
 *
 * @example
 * pgTable('sessions', { ...primaryKeyColumn(), ...sessionColumns(), ...timestampColumns() }, (table) => sessionConstraints(table, { users, organizations }));
 */
export function sessionConstraints(
  table: { userId: Column; tokenHash: Column; expiresAt: Column; activeOrganizationId: Column },
  references: { users: TableWithId; organizations?: TableWithId },
): PgTableExtraConfigValue[] {
  const name = tableNameOf(table.userId);
  const constraints = [
    uniqueConstraint(name, [table.tokenHash]),
    cascadingForeignKey(name, [table.userId], [references.users.id], 'cascade'),
    plainIndex(name, [table.userId]),
    plainIndex(name, [table.expiresAt]),
  ];
  if (references.organizations) {
    constraints.push(cascadingForeignKey(name, [table.activeOrganizationId], [references.organizations.id], 'set null'));
  }
  return constraints;
}

/**
 * Constraints of the OAuth-states table: unique `state_hash`, `user_id` references users
 * (cascade), indexes on `user_id` and `expires_at`.
 *
 * @example
 * pgTable('oauth_states', { ...primaryKeyColumn(), ...oauthStateColumns(), ...timestampColumns() }, (table) => oauthStateConstraints(table, { users }));
 */
export function oauthStateConstraints(
  table: { stateHash: Column; userId: Column; expiresAt: Column },
  references: { users: TableWithId },
): PgTableExtraConfigValue[] {
  const name = tableNameOf(table.userId);
  return [
    uniqueConstraint(name, [table.stateHash]),
    cascadingForeignKey(name, [table.userId], [references.users.id], 'cascade'),
    plainIndex(name, [table.userId]),
    plainIndex(name, [table.expiresAt]),
  ];
}

/**
 * Constraints of the verification-tokens table: unique `token_hash`, `user_id` references
 * users (cascade), indexes on `user_id`, `(purpose, identifier)` and `expires_at`.
 *
 * @example
 * pgTable('verification_tokens', { ...primaryKeyColumn(), ...verificationTokenColumns(), ...timestampColumns() }, (table) => verificationTokenConstraints(table, { users }));
 */
export function verificationTokenConstraints(
  table: { purpose: Column; identifier: Column; tokenHash: Column; userId: Column; expiresAt: Column },
  references: { users: TableWithId },
): PgTableExtraConfigValue[] {
  const name = tableNameOf(table.userId);
  return [
    uniqueConstraint(name, [table.tokenHash]),
    cascadingForeignKey(name, [table.userId], [references.users.id], 'cascade'),
    plainIndex(name, [table.userId]),
    plainIndex(name, [table.purpose, table.identifier]),
    plainIndex(name, [table.expiresAt]),
  ];
}

/**
 * Constraints of the roles table: unique `name`.
 *
 * @example
 * pgTable('roles', { ...primaryKeyColumn(), ...roleColumns(), ...timestampColumns() }, (table) => roleConstraints(table));
 */
export function roleConstraints(table: { name: Column }): PgTableExtraConfigValue[] {
  return [uniqueConstraint(tableNameOf(table.name), [table.name])];
}

/**
 * Constraints of the user–roles table: primary key `(user_id, role_id)`, both referencing
 * their tables (cascade), index on `role_id`.
 *
 * @example
 * pgTable('user_roles', { ...userRoleColumns(), ...timestampColumns() }, (table) => userRoleConstraints(table, { users, roles }));
 */
export function userRoleConstraints(
  table: { userId: Column; roleId: Column },
  references: { users: TableWithId; roles: TableWithId },
): PgTableExtraConfigValue[] {
  const name = tableNameOf(table.userId);
  return [
    primaryKey({ name: constraintName(name, [], 'pkey'), columns: [table.userId, table.roleId] }),
    cascadingForeignKey(name, [table.userId], [references.users.id], 'cascade'),
    cascadingForeignKey(name, [table.roleId], [references.roles.id], 'cascade'),
    plainIndex(name, [table.roleId]),
  ];
}

/**
 * Constraints of the organizations table: unique `slug`.
 *
 * @example
 * pgTable('organizations', { ...primaryKeyColumn(), ...organizationColumns(), ...timestampColumns() }, (table) => organizationConstraints(table));
 */
export function organizationConstraints(table: { slug: Column }): PgTableExtraConfigValue[] {
  return [uniqueConstraint(tableNameOf(table.slug), [table.slug])];
}

/**
 * Constraints of the members table: primary key `(organization_id, id)`, unique
 * `(organization_id, user_id)`, both referencing their tables (cascade), indexes on
 * `user_id` and `id`.
 *
 * @example
 * pgTable('members', { ...organizationScopedIdColumn(), ...memberColumns(), ...timestampColumns() }, (table) => memberConstraints(table, { users, organizations }));
 */
export function memberConstraints(
  table: { id: Column; organizationId: Column; userId: Column },
  references: { users: TableWithId; organizations: TableWithId },
): PgTableExtraConfigValue[] {
  const name = tableNameOf(table.userId);
  return [
    organizationScopedPrimaryKey(name, table),
    uniqueConstraint(name, [table.organizationId, table.userId]),
    cascadingForeignKey(name, [table.organizationId], [references.organizations.id], 'cascade'),
    cascadingForeignKey(name, [table.userId], [references.users.id], 'cascade'),
    plainIndex(name, [table.userId]),
    plainIndex(name, [table.id]),
  ];
}

/**
 * Constraints of the invitations table: primary key `(organization_id, id)`, the status
 * check, `organization_id` (cascade), `inviter_id` (set null), optionally
 * `(organization_id, team_id)` → `teams (organization_id, id)` (cascade), the partial unique
 * index allowing one pending invitation per (organization, email), and indexes on `email`,
 * `inviter_id`, `(organization_id, team_id)` and `id`.
 *
 * @example
 * pgTable('invitations', { ...organizationScopedIdColumn(), ...invitationColumns(), ...timestampColumns() }, (table) => invitationConstraints(table, { users, organizations, teams }));
 */
export function invitationConstraints(
  table: { id: Column; organizationId: Column; email: Column; status: Column; inviterId: Column; teamId: Column },
  references: { users: TableWithId; organizations: TableWithId; teams?: TableWithId & { organizationId: Column } },
): PgTableExtraConfigValue[] {
  const name = tableNameOf(table.organizationId);
  const statusList = sql.join(
    invitationStatuses.map((status) => sql.raw(`'${status}'`)),
    sql.raw(', '),
  );
  const constraints = [
    organizationScopedPrimaryKey(name, table),
    check(constraintName(name, ['status'], 'check'), sql`${table.status} in (${statusList})`),
    cascadingForeignKey(name, [table.organizationId], [references.organizations.id], 'cascade'),
    cascadingForeignKey(name, [table.inviterId], [references.users.id], 'set null'),
    uniqueIndex(pendingInvitationIndexName(name))
      .on(table.organizationId, table.email)
      .where(sql`${table.status} = 'pending'`),
    plainIndex(name, [table.email]),
    plainIndex(name, [table.inviterId]),
    plainIndex(name, [table.organizationId, table.teamId]),
    plainIndex(name, [table.id]),
  ];
  if (references.teams) {
    constraints.push(
      cascadingForeignKey(
        name,
        [table.organizationId, table.teamId],
        [references.teams.organizationId, references.teams.id],
        'cascade',
      ),
    );
  }
  return constraints;
}

/**
 * Constraints of the teams table: primary key `(organization_id, id)` (the target of the
 * composite foreign keys), `organization_id` references organizations (cascade), index on
 * `id`.
 *
 * @example
 * pgTable('teams', { ...organizationScopedIdColumn(), ...teamColumns(), ...timestampColumns() }, (table) => teamConstraints(table, { organizations }));
 */
export function teamConstraints(
  table: { id: Column; organizationId: Column },
  references: { organizations: TableWithId },
): PgTableExtraConfigValue[] {
  const name = tableNameOf(table.organizationId);
  return [
    organizationScopedPrimaryKey(name, table),
    cascadingForeignKey(name, [table.organizationId], [references.organizations.id], 'cascade'),
    plainIndex(name, [table.id]),
  ];
}

/**
 * Constraints of the team-members table: primary key `(organization_id, id)`; unique
 * `(organization_id, team_id, user_id)`; `(organization_id, team_id)` →
 * `teams (organization_id, id)` and
 * `(organization_id, user_id)` → `members (organization_id, user_id)`, both cascading, so a
 * team member is always a member of the team's organization and disappears with that
 * membership; indexes on `(organization_id, user_id)` and `id`.
 *
 * @example
 * pgTable('team_members', { ...organizationScopedIdColumn(), ...teamMemberColumns(), ...timestampColumns() }, (table) => teamMemberConstraints(table, { teams, members }));
 */
export function teamMemberConstraints(
  table: { id: Column; teamId: Column; organizationId: Column; userId: Column },
  references: {
    teams: { id: Column; organizationId: Column };
    members: { organizationId: Column; userId: Column };
  },
): PgTableExtraConfigValue[] {
  const name = tableNameOf(table.teamId);
  return [
    organizationScopedPrimaryKey(name, table),
    uniqueConstraint(name, [table.organizationId, table.teamId, table.userId]),
    cascadingForeignKey(
      name,
      [table.organizationId, table.teamId],
      [references.teams.organizationId, references.teams.id],
      'cascade',
    ),
    cascadingForeignKey(
      name,
      [table.organizationId, table.userId],
      [references.members.organizationId, references.members.userId],
      'cascade',
    ),
    plainIndex(name, [table.organizationId, table.userId]),
    plainIndex(name, [table.id]),
  ];
}
