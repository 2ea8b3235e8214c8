import { sql, type CreateIndexBuilder, type SchemaModule } from 'kysely';
import { constraintName, pendingInvitationIndexName } from '../schema/constraint-names.js';
import { defaultTableNames } from '../schema/table-names.js';

/*
 * Indexes cannot be declared inside CREATE TABLE, so each table's indexes come from a
 * function returning Kysely `CreateIndexBuilder`s: execute them in the same migration, right
 * after the table. Every foreign-key column gets an index so cascading deletes of a user or
 * organization do not scan whole tables.
 */

/**
 * What the index helpers return: builders to `execute()` (or `compile()` into a SQL migration).
 *
 * @example
 * const statements = invitationIndexes(db.schema).map((index) => index.compile().sql);
 */
export type IndexBuilders = CreateIndexBuilder<any>[];

function plainIndex(schema: SchemaModule, tableName: string, columns: string[]): CreateIndexBuilder<any> {
  return schema.createIndex(constraintName(tableName, columns, 'idx')).on(tableName).columns(columns);
}

/**
 * Indexes of the accounts table: `user_id`.
 *
 * @example
 * for (const index of accountIndexes(db.schema)) await index.execute();
 */
export function accountIndexes(schema: SchemaModule, tableName: string = defaultTableNames.accounts): IndexBuilders {
  return [plainIndex(schema, tableName, ['user_id'])];
}

/**
 * Indexes of the sessions table: `user_id` (revoke all sessions of a user) and `expires_at`
 * (bulk deletion of expired sessions).
 *
 * @example
 * for (const index of sessionIndexes(db.schema)) await index.execute();
 */
export function sessionIndexes(schema: SchemaModule, tableName: string = defaultTableNames.sessions): IndexBuilders {
  return [plainIndex(schema, tableName, ['user_id']), plainIndex(schema, tableName, ['expires_at'])];
}

/**
 * Indexes of the OAuth-states table: `user_id` and `expires_at`.
 *
 * @example
 * for (const index of oauthStateIndexes(db.schema)) await index.execute();
 */
export function oauthStateIndexes(schema: SchemaModule, tableName: string = defaultTableNames.oauthStates): IndexBuilders {
  return [plainIndex(schema, tableName, ['user_id']), plainIndex(schema, tableName, ['expires_at'])];
}

/**
 * Indexes of the verification-tokens table: `user_id`, `(purpose, identifier)` and `expires_at`.
 *
 * @example
 * for (const index of verificationTokenIndexes(db.schema)) await index.execute();
 */
export function verificationTokenIndexes(
  schema: SchemaModule,
  tableName: string = defaultTableNames.verificationTokens,
): IndexBuilders {
  return [
    plainIndex(schema, tableName, ['user_id']),
    plainIndex(schema, tableName, ['purpose', 'identifier']),
    plainIndex(schema, tableName, ['expires_at']),
  ];
}

/**
 * Indexes of the user–role table: `role_id` (the primary key covers `user_id`).
 *
 * @example
 * for (const index of userRoleIndexes(db.schema)) await index.execute();
 */
export function userRoleIndexes(schema: SchemaModule, tableName: string = defaultTableNames.userRoles): IndexBuilders {
  return [plainIndex(schema, tableName, ['role_id'])];
}

/**
 * Indexes of the members table: `user_id` (the unique `(organization_id, user_id)` covers
 * lookups by organization) and `id` (the primary key is `(organization_id, id)`, so lookups
 * by id alone need their own index).
 *
 * @example
 * for (const index of memberIndexes(db.schema)) await index.execute();
 */
export function memberIndexes(schema: SchemaModule, tableName: string = defaultTableNames.members): IndexBuilders {
  return [plainIndex(schema, tableName, ['user_id']), plainIndex(schema, tableName, ['id'])];
}

/**
 * Indexes of the invitations table, among them the partial unique index
 * `…_organization_id_email_pending_key` on `(organization_id, email) where status = 'pending'`:
 * at most one pending invitation per organization and (case-insensitive) email, enforced by
 * the database even under concurrent requests. Also `email`, `inviter_id`,
 * `(organization_id, team_id)` and `id` (the primary key is `(organization_id, id)`).
 *
 * @example
 * for (const index of invitationIndexes(db.schema)) await index.execute();
 */
export function invitationIndexes(schema: SchemaModule, tableName: string = defaultTableNames.invitations): IndexBuilders {
  return [
    schema
      .createIndex(pendingInvitationIndexName(tableName))
      .on(tableName)
      .columns(['organization_id', 'email'])
      .unique()
      .where(sql<boolean>`${sql.ref('status')} = 'pending'`),
    plainIndex(schema, tableName, ['email']),
    plainIndex(schema, tableName, ['inviter_id']),
    plainIndex(schema, tableName, ['organization_id', 'team_id']),
    plainIndex(schema, tableName, ['id']),
  ];
}

/**
 * Indexes of the teams table: `id` (the primary key `(organization_id, id)` covers lookups
 * by organization, not by id alone).
 *
 * @example
 * for (const index of teamIndexes(db.schema)) await index.execute();
 */
export function teamIndexes(schema: SchemaModule, tableName: string = defaultTableNames.teams): IndexBuilders {
  return [plainIndex(schema, tableName, ['id'])];
}

/**
 * Indexes of the team-members table: `(organization_id, user_id)`, which the cascade from a
 * removed member uses, and `id` (the primary key is `(organization_id, id)`).
 *
 * @example
 * for (const index of teamMemberIndexes(db.schema)) await index.execute();
 */
export function teamMemberIndexes(schema: SchemaModule, tableName: string = defaultTableNames.teamMembers): IndexBuilders {
  return [plainIndex(schema, tableName, ['organization_id', 'user_id']), plainIndex(schema, tableName, ['id'])];
}
