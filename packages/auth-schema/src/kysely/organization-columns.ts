import { sql, type CreateTableBuilder } from 'kysely';
import { constraintName } from '../schema/constraint-names.js';
import { invitationStatuses } from '../schema/domain-values.js';
import { defaultTableNames } from '../schema/table-names.js';
import type { ReferencedTables } from './auth-columns.js';
import { citextType } from './column-types.js';
import { tableNameOf } from './table-builder-name.js';
import { userForeignKey } from './user-foreign-key.js';

/**
 * Options of `invitationColumns`.
 *
 * @example
 * .$call((table) => invitationColumns(table, { teams: 'teams' }))
 */
export interface InvitationColumnsOptions extends Pick<ReferencedTables, 'users' | 'organizations'> {
  /**
   * The teams table. When given, `(organization_id, team_id)` references
   * `teams (organization_id, id)`, so an invitation can only name a team of its own
   * organization (deleting the team deletes its invitations). Leave it out without teams.
   */
  readonly teams?: string;
}

/**
 * Adds the organization columns: `name`, `slug citext not null unique`, `logo` and
 * `metadata jsonb`.
 *
 * @example
 * await db.schema.createTable('organizations').$call(primaryKeyColumn).$call(organizationColumns).$call(timestampColumns).execute();
 */
export function organizationColumns<TB extends string, C extends string = never>(table: CreateTableBuilder<TB, C>) {
  const name = tableNameOf(table);
  return table
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('slug', citextType, (column) => column.notNull())
    .addColumn('logo', 'text')
    .addColumn('metadata', 'jsonb')
    .addUniqueConstraint(constraintName(name, ['slug'], 'key'), ['slug']);
}

/**
 * Adds the member columns: `organization_id` and `user_id` (both cascade; unique together),
 * `role` (default `member`) and `primary key (organization_id, id)` (use it with
 * `organizationScopedIdColumn`, not `primaryKeyColumn`).
 *
 * @example
 * await db.schema.createTable('members').$call(organizationScopedIdColumn).$call(memberColumns).$call(timestampColumns).execute();
 */
export function memberColumns<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
  options: Pick<ReferencedTables, 'users' | 'organizations'> = {},
) {
  const name = tableNameOf(table);
  return table
    .addColumn('organization_id', 'uuid', (column) => column.notNull())
    .addColumn('user_id', 'uuid', (column) => column.notNull())
    .addColumn('role', 'text', (column) => column.notNull().defaultTo('member'))
    .addPrimaryKeyConstraint(constraintName(name, [], 'pkey'), ['organization_id', 'id'] as C[])
    .addUniqueConstraint(constraintName(name, ['organization_id', 'user_id'], 'key'), ['organization_id', 'user_id'])
    .addForeignKeyConstraint(
      constraintName(name, ['organization_id'], 'fkey'),
      ['organization_id'],
      options.organizations ?? defaultTableNames.organizations,
      ['id'],
      (constraint) => constraint.onDelete('cascade'),
    )
    .$call((builder) => userForeignKey(builder, name, options.users));
}

/**
 * Adds the invitation columns: `organization_id` (cascade), `email citext`, `role`,
 * `status` (checked: pending/accepted/rejected/canceled), `inviter_id` (set null when the
 * inviter is deleted), an optional `team_id` and `expires_at`. The partial unique index that
 * allows one pending invitation per (organization, email) is in `invitationIndexes`. The
 * primary key is `(organization_id, id)` (use it with `organizationScopedIdColumn`).
 *
 * @example
 * await db.schema
 *   .createTable('invitations')
 *   .$call(organizationScopedIdColumn)
 *   .$call((table) => invitationColumns(table, { teams: 'teams' }))
 *   .$call(timestampColumns)
 *   .execute();
 */
export function invitationColumns<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
  options: InvitationColumnsOptions = {},
) {
  const name = tableNameOf(table);
  const statusList = sql.join(invitationStatuses.map((status) => sql.lit(status)));
  const withColumns = table
    .addColumn('organization_id', 'uuid', (column) => column.notNull())
    .addColumn('email', citextType, (column) => column.notNull())
    .addColumn('role', 'text', (column) => column.notNull().defaultTo('member'))
    .addColumn('status', 'text', (column) => column.notNull().defaultTo('pending'))
    .addColumn('inviter_id', 'uuid')
    .addColumn('team_id', 'uuid')
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addPrimaryKeyConstraint(constraintName(name, [], 'pkey'), ['organization_id', 'id'] as C[])
    .addCheckConstraint(constraintName(name, ['status'], 'check'), sql`${sql.ref('status')} in (${statusList})`)
    .addForeignKeyConstraint(
      constraintName(name, ['organization_id'], 'fkey'),
      ['organization_id'],
      options.organizations ?? defaultTableNames.organizations,
      ['id'],
      (constraint) => constraint.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      constraintName(name, ['inviter_id'], 'fkey'),
      ['inviter_id'],
      options.users ?? defaultTableNames.users,
      ['id'],
      (constraint) => constraint.onDelete('set null'),
    );
  if (options.teams === undefined) return withColumns;
  return withColumns.addForeignKeyConstraint(
    constraintName(name, ['organization_id', 'team_id'], 'fkey'),
    ['organization_id', 'team_id'],
    options.teams,
    ['organization_id', 'id'],
    (constraint) => constraint.onDelete('cascade'),
  );
}
