import type { CreateTableBuilder } from 'kysely';
import { constraintName } from '../schema/constraint-names.js';
import { defaultTableNames } from '../schema/table-names.js';

/**
 * `<table>_user_id_fkey`: `user_id` references the users table's `id`, deleting the row with
 * its user. Every per-user table (accounts, sessions, OAuth states, verification tokens,
 * members, user roles) has exactly this link, so it is declared in one place.
 */
export function userForeignKey<TB extends string, C extends string>(
  table: CreateTableBuilder<TB, C>,
  tableName: string,
  usersTable: string = defaultTableNames.users,
): CreateTableBuilder<TB, C> {
  return table.addForeignKeyConstraint(constraintName(tableName, ['user_id'], 'fkey'), ['user_id'] as never, usersTable, ['id'], (constraint) =>
    constraint.onDelete('cascade'),
  );
}
