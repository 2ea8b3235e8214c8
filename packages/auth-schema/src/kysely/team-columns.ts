import type { CreateTableBuilder } from 'kysely';
import { constraintName } from '../schema/constraint-names.js';
import { defaultTableNames } from '../schema/table-names.js';
import type { ReferencedTables } from './auth-columns.js';
import { tableNameOf } from './table-builder-name.js';

/**
 * Adds the team columns: `organization_id` (cascade) and `name`, plus
 * `primary key (organization_id, id)`, which team members' and invitations' composite
 * foreign keys point at (use it with `organizationScopedIdColumn`).
 *
 * @example
 * await db.schema.createTable('teams').$call(organizationScopedIdColumn).$call(teamColumns).$call(timestampColumns).execute();
 */
export function teamColumns<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
  options: Pick<ReferencedTables, 'organizations'> = {},
) {
  const name = tableNameOf(table);
  return table
    .addColumn('organization_id', 'uuid', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint(constraintName(name, [], 'pkey'), ['organization_id', 'id'] as C[])
    .addForeignKeyConstraint(
      constraintName(name, ['organization_id'], 'fkey'),
      ['organization_id'],
      options.organizations ?? defaultTableNames.organizations,
      ['id'],
      (constraint) => constraint.onDelete('cascade'),
    );
}

/**
 * Adds the team-member columns: `team_id`, `organization_id` and `user_id`, primary key
 * `(organization_id, id)` (use it with `organizationScopedIdColumn`), unique per
 * (organization, team, user), which is unique per (team, user) as a team belongs to one
 * organization. Two composite foreign keys make the database itself refuse a team member who
 * is not a member of the team's organization: `(organization_id, team_id)` →
 * `teams (organization_id, id)` and `(organization_id, user_id)` →
 * `members (organization_id, user_id)`, both cascading, so removing a member (or deleting
 * the user or organization) removes their team memberships in the same statement.
 *
 * @example
 * await db.schema.createTable('team_members').$call(organizationScopedIdColumn).$call(teamMemberColumns).$call(timestampColumns).execute();
 */
export function teamMemberColumns<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
  options: Pick<ReferencedTables, 'teams' | 'members'> = {},
) {
  const name = tableNameOf(table);
  return table
    .addColumn('team_id', 'uuid', (column) => column.notNull())
    .addColumn('organization_id', 'uuid', (column) => column.notNull())
    .addColumn('user_id', 'uuid', (column) => column.notNull())
    .addPrimaryKeyConstraint(constraintName(name, [], 'pkey'), ['organization_id', 'id'] as C[])
    .addUniqueConstraint(constraintName(name, ['organization_id', 'team_id', 'user_id'], 'key'), [
      'organization_id',
      'team_id',
      'user_id',
    ])
    .addForeignKeyConstraint(
      constraintName(name, ['organization_id', 'team_id'], 'fkey'),
      ['organization_id', 'team_id'],
      options.teams ?? defaultTableNames.teams,
      ['organization_id', 'id'],
      (constraint) => constraint.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      constraintName(name, ['organization_id', 'user_id'], 'fkey'),
      ['organization_id', 'user_id'],
      options.members ?? defaultTableNames.members,
      ['organization_id', 'user_id'],
      (constraint) => constraint.onDelete('cascade'),
    );
}
