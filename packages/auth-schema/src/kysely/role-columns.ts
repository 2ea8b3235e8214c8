import type { CreateTableBuilder } from 'kysely';
import { constraintName } from '../schema/constraint-names.js';
import { defaultTableNames } from '../schema/table-names.js';
import type { ReferencedTables } from './auth-columns.js';
import { tableNameOf } from './table-builder-name.js';
import { userForeignKey } from './user-foreign-key.js';

/**
 * Adds the role columns (RBAC): `name text not null unique` and `description`.
 *
 * @example
 * await db.schema.createTable('roles').$call(primaryKeyColumn).$call(roleColumns).$call(timestampColumns).execute();
 */
export function roleColumns<TB extends string, C extends string = never>(table: CreateTableBuilder<TB, C>) {
  const name = tableNameOf(table);
  return table
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('description', 'text')
    .addUniqueConstraint(constraintName(name, ['name'], 'key'), ['name']);
}

/**
 * Adds the user–role association: `user_id` and `role_id`, primary key `(user_id, role_id)`,
 * both cascading. Use it without `primaryKeyColumn`.
 *
 * @example
 * await db.schema.createTable('user_roles').$call(userRoleColumns).$call(timestampColumns).execute();
 */
export function userRoleColumns<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
  options: Pick<ReferencedTables, 'users' | 'roles'> = {},
) {
  const name = tableNameOf(table);
  return table
    .addColumn('user_id', 'uuid', (column) => column.notNull())
    .addColumn('role_id', 'uuid', (column) => column.notNull())
    .addPrimaryKeyConstraint(constraintName(name, [], 'pkey'), ['user_id', 'role_id'])
    .$call((builder) => userForeignKey(builder, name, options.users))
    .addForeignKeyConstraint(
      constraintName(name, ['role_id'], 'fkey'),
      ['role_id'],
      options.roles ?? defaultTableNames.roles,
      ['id'],
      (constraint) => constraint.onDelete('cascade'),
    );
}
