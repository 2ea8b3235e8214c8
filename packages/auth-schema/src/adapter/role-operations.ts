import { sql } from 'kysely';
import { RoleNameTakenError } from '../errors/conflict-errors.js';
import { RecordNotFoundError } from '../errors/input-errors.js';
import { constraintName } from '../schema/constraint-names.js';
import { fieldLimits, optionalText, requireText, requireUuid } from '../validation/input-validation.js';
import type { AdapterContext } from './adapter-context.js';
import { isForeignKeyViolation, isUniqueViolation } from './database-errors.js';
import {
  appValues,
  decodeRow,
  deleteRowById,
  encodeValues,
  insertRow,
  selectRowWhere,
  updateRowById,
  type SqlRecord,
} from './record-operations.js';

function mapRoleConflict(context: AdapterContext, error: unknown): never {
  if (isUniqueViolation(error, constraintName(context.tables.roles.tableName, ['name'], 'key'))) {
    throw new RoleNameTakenError({ cause: error });
  }
  throw error;
}

export async function createRole(context: AdapterContext, values: unknown): Promise<unknown> {
  const input = appValues(context.tables.roles, values);
  requireText(input.name('name'), input.get('name'), fieldLimits.role);
  optionalText(input.name('description'), input.get('description'), fieldLimits.description);
  try {
    const row = await insertRow(context, 'roles', encodeValues(context.tables.roles, input, ['id', 'created_at', 'updated_at']));
    return decodeRow(context, 'roles', row);
  } catch (error) {
    mapRoleConflict(context, error);
  }
}

export async function updateRole(context: AdapterContext, id: unknown, values: unknown): Promise<unknown> {
  const roleId = requireUuid('id', id);
  const input = appValues(context.tables.roles, values);
  if (input.has('name')) requireText(input.name('name'), input.get('name'), fieldLimits.role);
  optionalText(input.name('description'), input.get('description'), fieldLimits.description);
  try {
    const row = await updateRowById(context, 'roles', roleId, encodeValues(context.tables.roles, input, ['id', 'created_at', 'updated_at'], 'update'));
    if (!row) throw new RecordNotFoundError('role', roleId);
    return decodeRow(context, 'roles', row);
  } catch (error) {
    mapRoleConflict(context, error);
  }
}

export async function getRoleByName(context: AdapterContext, name: unknown): Promise<unknown> {
  const row = await selectRowWhere(context, 'roles', 'name', requireText('name', name, fieldLimits.role));
  return row ? decodeRow(context, 'roles', row) : null;
}

export async function listRoles(context: AdapterContext): Promise<unknown[]> {
  const rows = (await context.db.selectFrom(context.tables.roles.tableName).selectAll().orderBy('name').execute()) as SqlRecord[];
  return rows.map((row) => decodeRow(context, 'roles', row));
}

export async function deleteRole(context: AdapterContext, id: unknown): Promise<boolean> {
  return await deleteRowById(context, 'roles', requireUuid('id', id));
}

/** Assigns a role; `true` when newly assigned, `false` when the user already had it. */
export async function assignRole(context: AdapterContext, userId: unknown, roleId: unknown): Promise<boolean> {
  const user = requireUuid('userId', userId);
  const role = requireUuid('roleId', roleId);
  const table = context.tables.userRoles.tableName;
  try {
    const row = await context.db
      .insertInto(table)
      .values({ user_id: user, role_id: role })
      .onConflict((conflict) => conflict.columns(['user_id', 'role_id']).doNothing())
      .returning(sql<number>`1`.as('inserted'))
      .executeTakeFirst();
    return row !== undefined;
  } catch (error) {
    if (isForeignKeyViolation(error, constraintName(table, ['user_id'], 'fkey'))) throw new RecordNotFoundError('user', user, { cause: error });
    if (isForeignKeyViolation(error, constraintName(table, ['role_id'], 'fkey'))) throw new RecordNotFoundError('role', role, { cause: error });
    throw error;
  }
}

export async function revokeRole(context: AdapterContext, userId: unknown, roleId: unknown): Promise<boolean> {
  const result = await context.db
    .deleteFrom(context.tables.userRoles.tableName)
    .where('user_id', '=', requireUuid('userId', userId))
    .where('role_id', '=', requireUuid('roleId', roleId))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listUserRoles(context: AdapterContext, userId: unknown): Promise<unknown[]> {
  const rows = (await context.db
    .selectFrom(`${context.tables.roles.tableName} as r`)
    .innerJoin(`${context.tables.userRoles.tableName} as ur`, 'ur.role_id', 'r.id')
    .selectAll('r')
    .where('ur.user_id', '=', requireUuid('userId', userId))
    .orderBy('r.name')
    .execute()) as SqlRecord[];
  return rows.map((row) => decodeRow(context, 'roles', row));
}

export async function userHasRole(context: AdapterContext, userId: unknown, roleName: unknown): Promise<boolean> {
  const row = await context.db
    .selectFrom(`${context.tables.userRoles.tableName} as ur`)
    .innerJoin(`${context.tables.roles.tableName} as r`, 'r.id', 'ur.role_id')
    .select(sql<number>`1`.as('found'))
    .where('ur.user_id', '=', requireUuid('userId', userId))
    .where('r.name', '=', requireText('roleName', roleName, fieldLimits.role))
    .executeTakeFirst();
  return row !== undefined;
}
