import { sql } from 'drizzle-orm';
import { jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea, citext } from './column-types.js';

/**
 * The user column set: `email` (citext, unique via `userConstraints`), `emailVerifiedAt`,
 * `name`, `image`, `passwordHash` (nullable) and `scopes` (`text[] not null default '{}'`).
 *
 * @example
 * export const users = pgTable(
 *   'users',
 *   { ...primaryKeyColumn(), ...userColumns(), ...timestampColumns(), displayName: text('display_name') },
 *   (table) => userConstraints(table),
 * );
 */
export function userColumns() {
  return {
    email: citext('email').notNull(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    name: text('name'),
    image: text('image'),
    passwordHash: text('password_hash'),
    scopes: text('scopes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  };
}

/**
 * The account column set: `userId`, `type`, `provider` and `providerAccountId` (citext) and
 * the provider's token fields. Constraints: `accountConstraints`.
 *
 * @example
 * export const accounts = pgTable(
 *   'accounts',
 *   { ...primaryKeyColumn(), ...accountColumns(), ...timestampColumns() },
 *   (table) => accountConstraints(table, { users }),
 * );
 */
export function accountColumns() {
  return {
    userId: uuid('user_id').notNull(),
    type: text('type').notNull().default('oauth'),
    provider: citext('provider').notNull(),
    providerAccountId: citext('provider_account_id').notNull(),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    tokenType: text('token_type'),
    scope: text('scope'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
  };
}

/**
 * The session column set: `userId`, `tokenHash` (bytea: the SHA-256 of the token, never the
 * token), `expiresAt`, `ipAddress`, `userAgent`, `activeOrganizationId`. Constraints:
 * `sessionConstraints`.
 *
 * @example
 * export const sessions = pgTable(
 *   'sessions',
 *   { ...primaryKeyColumn(), ...sessionColumns(), ...timestampColumns() },
 *   (table) => sessionConstraints(table, { users, organizations }),
 * );
 */
export function sessionColumns() {
  return {
    userId: uuid('user_id').notNull(),
    tokenHash: bytea('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    activeOrganizationId: uuid('active_organization_id'),
  };
}

/**
 * The OAuth-state column set: `stateHash` (bytea), `codeVerifier` (PKCE), `redirectUrl`,
 * optional `userId`, `expiresAt`. Constraints: `oauthStateConstraints`.
 *
 * @example
 * export const oauthStates = pgTable(
 *   'oauth_states',
 *   { ...primaryKeyColumn(), ...oauthStateColumns(), ...timestampColumns() },
 *   (table) => oauthStateConstraints(table, { users }),
 * );
 */
export function oauthStateColumns() {
  return {
    stateHash: bytea('state_hash').notNull(),
    codeVerifier: text('code_verifier'),
    redirectUrl: text('redirect_url'),
    userId: uuid('user_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  };
}

/**
 * The verification-token column set: `purpose`, `identifier`, `tokenHash` (bytea), optional
 * `userId`, `payload` (jsonb), `expiresAt`, `consumedAt`. Constraints:
 * `verificationTokenConstraints`.
 *
 * @example
 * export const verificationTokens = pgTable(
 *   'verification_tokens',
 *   { ...primaryKeyColumn(), ...verificationTokenColumns(), ...timestampColumns() },
 *   (table) => verificationTokenConstraints(table, { users }),
 * );
 */
export function verificationTokenColumns() {
  return {
    purpose: text('purpose').notNull(),
    identifier: text('identifier').notNull(),
    tokenHash: bytea('token_hash').notNull(),
    userId: uuid('user_id'),
    payload: jsonb('payload'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
  };
}

/**
 * The role column set (RBAC): `name` (unique) and `description`. Constraints: `roleConstraints`.
 *
 * @example
 * export const roles = pgTable('roles', { ...primaryKeyColumn(), ...roleColumns(), ...timestampColumns() }, (table) => roleConstraints(table));
 */
export function roleColumns() {
  return {
    name: text('name').notNull(),
    description: text('description'),
  };
}

/**
 * The user–role column set: `userId`, `roleId` (primary key together, via
 * `userRoleConstraints`). Use it without `primaryKeyColumn`.
 *
 * @example
 * export const userRoles = pgTable('user_roles', { ...userRoleColumns(), ...timestampColumns() }, (table) => userRoleConstraints(table, { users, roles }));
 */
export function userRoleColumns() {
  return {
    userId: uuid('user_id').notNull(),
    roleId: uuid('role_id').notNull(),
  };
}
