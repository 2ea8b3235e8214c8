import { jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { InvitationStatus, MemberRole } from '../schema/domain-values.js';
import { citext } from './column-types.js';

/**
 * The organization column set: `name`, `slug` (citext, unique), `logo`, `metadata` (jsonb).
 * Constraints: `organizationConstraints`.
 *
 * @example
 * export const organizations = pgTable(
 *   'organizations',
 *   { ...primaryKeyColumn(), ...organizationColumns(), ...timestampColumns() },
 *   (table) => organizationConstraints(table),
 * );
 */
export function organizationColumns() {
  return {
    name: text('name').notNull(),
    slug: citext('slug').notNull(),
    logo: text('logo'),
    metadata: jsonb('metadata'),
  };
}

/**
 * The member column set: `organizationId`, `userId` (unique together), `role` (default
 * `member`). Constraints, including `primary key (organization_id, id)`: `memberConstraints`.
 *
 * @example
 * export const members = pgTable(
 *   'members',
 *   { ...organizationScopedIdColumn(), ...memberColumns(), ...timestampColumns() },
 *   (table) => memberConstraints(table, { users, organizations }),
 * );
 */
export function memberColumns() {
  return {
    organizationId: uuid('organization_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').$type<MemberRole>().notNull().default('member'),
  };
}

/**
 * The invitation column set: `organizationId`, `email` (citext), `role`, `status`
 * (pending/accepted/rejected/canceled), `inviterId`, `teamId`, `expiresAt`. Constraints,
 * including `primary key (organization_id, id)` and the partial unique index on pending
 * invitations: `invitationConstraints`.
 *
 * @example
 * export const invitations = pgTable(
 *   'invitations',
 *   { ...organizationScopedIdColumn(), ...invitationColumns(), ...timestampColumns() },
 *   (table) => invitationConstraints(table, { users, organizations, teams }),
 * );
 */
export function invitationColumns() {
  return {
    organizationId: uuid('organization_id').notNull(),
    email: citext('email').notNull(),
    role: text('role').$type<MemberRole>().notNull().default('member'),
    status: text('status').$type<InvitationStatus>().notNull().default('pending'),
    inviterId: uuid('inviter_id'),
    teamId: uuid('team_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  };
}

/**
 * The team column set: `organizationId`, `name`. Constraints, including
 * `primary key (organization_id, id)`: `teamConstraints`.
 *
 * @example
 * export const teams = pgTable(
 *   'teams',
 *   { ...organizationScopedIdColumn(), ...teamColumns(), ...timestampColumns() },
 *   (table) => teamConstraints(table, { organizations }),
 * );
 */
export function teamColumns() {
  return {
    organizationId: uuid('organization_id').notNull(),
    name: text('name').notNull(),
  };
}

/**
 * The team-member column set: `teamId`, `organizationId`, `userId`. `teamMemberConstraints`
 * adds `primary key (organization_id, id)` and the composite foreign keys that make the database refuse a team member who is not a
 * member of the team's organization.
 *
 * @example
 * export const teamMembers = pgTable(
 *   'team_members',
 *   { ...organizationScopedIdColumn(), ...teamMemberColumns(), ...timestampColumns() },
 *   (table) => teamMemberConstraints(table, { teams, members }),
 * );
 */
export function teamMemberColumns() {
  return {
    teamId: uuid('team_id').notNull(),
    organizationId: uuid('organization_id').notNull(),
    userId: uuid('user_id').notNull(),
  };
}
