import { sql, type CreateTableBuilder } from 'kysely';
import { constraintName } from '../schema/constraint-names.js';
import type { AllTableNames } from '../schema/table-names.js';
import { citextType, textArrayType } from './column-types.js';
import { tableNameOf } from './table-builder-name.js';
import { userForeignKey } from './user-foreign-key.js';

/**
 * Names of the tables a mixin's foreign keys point at; any omitted one is the default.
 *
 * @example
 * .$call((table) => memberColumns(table, { users: 'app_users', organizations: 'orgs' }))
 */
export type ReferencedTables = Partial<Pick<AllTableNames, 'users' | 'organizations' | 'teams' | 'members' | 'roles'>>;

/**
 * Options of `sessionColumns`.
 *
 * @example
 * .$call((table) => sessionColumns(table, { users: 'app_users', organizations: 'organizations' }))
 */
export interface SessionColumnsOptions extends Pick<ReferencedTables, 'users'> {
  /**
   * The organizations table. When given, `active_organization_id` gets a foreign key to it
   * (`on delete set null`); leave it out when the app has no organizations.
   */
  readonly organizations?: string;
}

/**
 * Adds the user columns: `email citext not null unique`, `email_verified_at`, `name`,
 * `image`, `password_hash` (nullable: OAuth-only users have none) and
 * `scopes text[] not null default '{}'`. Compose with `primaryKeyColumn` and
 * `timestampColumns` and add the app's own columns.
 *
 * @example
 * await db.schema
 *   .createTable('users')
 *   .$call(primaryKeyColumn)
 *   .$call(userColumns)
 *   .$call(timestampColumns)
 *   .addColumn('display_name', 'text')
 *   .execute();
 */
export function userColumns<TB extends string, C extends string = never>(table: CreateTableBuilder<TB, C>) {
  const name = tableNameOf(table);
  return table
    .addColumn('email', citextType, (column) => column.notNull())
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('name', 'text')
    .addColumn('image', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('scopes', textArrayType, (column) => column.notNull().defaultTo(sql`'{}'::text[]`))
    .addUniqueConstraint(constraintName(name, ['email'], 'key'), ['email']);
}

/**
 * Adds the account columns (a user's link to an OAuth/OIDC provider): `user_id` (cascade on
 * user deletion), `type`, `provider` and `provider_account_id` (both `citext`, unique
 * together) and the provider's token fields.
 *
 * @example
 * await db.schema.createTable('accounts').$call(primaryKeyColumn).$call(accountColumns).$call(timestampColumns).execute();
 * // custom users table:
 * .$call((table) => accountColumns(table, { users: 'app_users' }))
 */
export function accountColumns<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
  options: Pick<ReferencedTables, 'users'> = {},
) {
  const name = tableNameOf(table);
  return table
    .addColumn('user_id', 'uuid', (column) => column.notNull())
    .addColumn('type', 'text', (column) => column.notNull().defaultTo('oauth'))
    .addColumn('provider', citextType, (column) => column.notNull())
    .addColumn('provider_account_id', citextType, (column) => column.notNull())
    .addColumn('access_token', 'text')
    .addColumn('refresh_token', 'text')
    .addColumn('id_token', 'text')
    .addColumn('token_type', 'text')
    .addColumn('scope', 'text')
    .addColumn('access_token_expires_at', 'timestamptz')
    .addColumn('refresh_token_expires_at', 'timestamptz')
    .addUniqueConstraint(constraintName(name, ['provider', 'provider_account_id'], 'key'), ['provider', 'provider_account_id'])
    .$call((builder) => userForeignKey(builder, name, options.users));
}

/**
 * Adds the session columns: `user_id` (cascade), `token_hash bytea not null unique` (the
 * SHA-256 of the token; the token itself is never stored), `expires_at`, `ip_address`,
 * `user_agent` and `active_organization_id`.
 *
 * @example
 * await db.schema
 *   .createTable('sessions')
 *   .$call(primaryKeyColumn)
 *   .$call((table) => sessionColumns(table, { organizations: 'organizations' }))
 *   .$call(timestampColumns)
 *   .execute();
 */
export function sessionColumns<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
  options: SessionColumnsOptions = {},
) {
  const name = tableNameOf(table);
  const withColumns = table
    .addColumn('user_id', 'uuid', (column) => column.notNull())
    .addColumn('token_hash', 'bytea', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('ip_address', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('active_organization_id', 'uuid')
    .addUniqueConstraint(constraintName(name, ['token_hash'], 'key'), ['token_hash'])
    .$call((builder) => userForeignKey(builder, name, options.users));
  if (options.organizations === undefined) return withColumns;
  return withColumns.addForeignKeyConstraint(
    constraintName(name, ['active_organization_id'], 'fkey'),
    ['active_organization_id'],
    options.organizations,
    ['id'],
    (constraint) => constraint.onDelete('set null'),
  );
}

/**
 * Adds the OAuth-state columns: `state_hash bytea not null unique`, `code_verifier` (PKCE),
 * `redirect_url`, an optional `user_id` (linking an account to a signed-in user; cascade)
 * and `expires_at`.
 *
 * @example
 * await db.schema.createTable('oauth_states').$call(primaryKeyColumn).$call(oauthStateColumns).$call(timestampColumns).execute();
 */
export function oauthStateColumns<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
  options: Pick<ReferencedTables, 'users'> = {},
) {
  const name = tableNameOf(table);
  return table
    .addColumn('state_hash', 'bytea', (column) => column.notNull())
    .addColumn('code_verifier', 'text')
    .addColumn('redirect_url', 'text')
    .addColumn('user_id', 'uuid')
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addUniqueConstraint(constraintName(name, ['state_hash'], 'key'), ['state_hash'])
    .$call((builder) => userForeignKey(builder, name, options.users));
}

/**
 * Adds the verification-token columns: `purpose` (email verification, password reset,
 * email change, sign-in…), `identifier` (usually the email), `token_hash bytea not null
 * unique`, an optional `user_id` (cascade), `payload jsonb` (e.g. the new address of an
 * email change), `expires_at` and `consumed_at`.
 *
 * @example
 * await db.schema.createTable('verification_tokens').$call(primaryKeyColumn).$call(verificationTokenColumns).$call(timestampColumns).execute();
 */
export function verificationTokenColumns<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
  options: Pick<ReferencedTables, 'users'> = {},
) {
  const name = tableNameOf(table);
  return table
    .addColumn('purpose', 'text', (column) => column.notNull())
    .addColumn('identifier', 'text', (column) => column.notNull())
    .addColumn('token_hash', 'bytea', (column) => column.notNull())
    .addColumn('user_id', 'uuid')
    .addColumn('payload', 'jsonb')
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('consumed_at', 'timestamptz')
    .addUniqueConstraint(constraintName(name, ['token_hash'], 'key'), ['token_hash'])
    .$call((builder) => userForeignKey(builder, name, options.users));
}
