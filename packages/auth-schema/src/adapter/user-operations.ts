import { AccountAlreadyLinkedError, EmailAlreadyInUseError } from '../errors/conflict-errors.js';
import { RecordNotFoundError } from '../errors/input-errors.js';
import { constraintName } from '../schema/constraint-names.js';
import {
  fieldLimits,
  optionalDate,
  optionalStringArray,
  optionalText,
  optionalUuid,
  requireEmail,
  requireText,
  requireUuid,
} from '../validation/input-validation.js';
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
  type AppValues,
  type SqlRecord,
} from './record-operations.js';

const managedUserColumns = ['created_at', 'updated_at'];

function validateUserValues(values: AppValues, partial: boolean): void {
  if (!partial || values.has('email')) requireEmail(values.name('email'), values.get('email'));
  if (!partial) optionalUuid(values.name('id'), values.get('id'));
  optionalDate(values.name('email_verified_at'), values.get('email_verified_at'));
  optionalText(values.name('name'), values.get('name'), fieldLimits.name);
  optionalText(values.name('image'), values.get('image'), fieldLimits.url);
  optionalText(values.name('password_hash'), values.get('password_hash'), fieldLimits.token);
  optionalStringArray(values.name('scopes'), values.get('scopes'), fieldLimits.role);
}

function mapUserConflict(context: AdapterContext, error: unknown): never {
  if (isUniqueViolation(error, constraintName(context.tables.users.tableName, ['email'], 'key'))) {
    throw new EmailAlreadyInUseError({ cause: error });
  }
  throw error;
}

/** Decodes a users row and applies the app's user mapper. */
export function toUser(context: AdapterContext, row: SqlRecord): unknown {
  return context.mapUser(decodeRow(context, 'users', row));
}

export async function createUser(context: AdapterContext, values: unknown): Promise<unknown> {
  const input = appValues(context.tables.users, values);
  validateUserValues(input, false);
  const record = encodeValues(context.tables.users, input, managedUserColumns);
  try {
    return toUser(context, await insertRow(context, 'users', record));
  } catch (error) {
    mapUserConflict(context, error);
  }
}

export async function getUserById(context: AdapterContext, id: unknown): Promise<unknown> {
  const row = await selectRowWhere(context, 'users', 'id', requireUuid('id', id));
  return row ? toUser(context, row) : null;
}

export async function getUserByEmail(context: AdapterContext, email: unknown): Promise<unknown> {
  // `email` is citext: the comparison ignores case, and the unique index serves it.
  const row = await selectRowWhere(context, 'users', 'email', requireEmail('email', email));
  return row ? toUser(context, row) : null;
}

export async function getUserByAccount(context: AdapterContext, provider: unknown, providerAccountId: unknown): Promise<unknown> {
  const providerName = requireText('provider', provider, fieldLimits.providerField);
  const accountId = requireText('providerAccountId', providerAccountId, fieldLimits.providerField);
  const row = (await context.db
    .selectFrom(`${context.tables.users.tableName} as u`)
    .innerJoin(`${context.tables.accounts.tableName} as a`, 'a.user_id', 'u.id')
    .selectAll('u')
    .where('a.provider', '=', providerName)
    .where('a.provider_account_id', '=', accountId)
    .executeTakeFirst()) as SqlRecord | undefined;
  return row ? toUser(context, row) : null;
}

export async function updateUser(context: AdapterContext, id: unknown, values: unknown): Promise<unknown> {
  const userId = requireUuid('id', id);
  const input = appValues(context.tables.users, values);
  validateUserValues(input, true);
  const record = encodeValues(context.tables.users, input, [...managedUserColumns, 'id'], 'update');
  try {
    const row = await updateRowById(context, 'users', userId, record);
    if (!row) throw new RecordNotFoundError('user', userId);
    return toUser(context, row);
  } catch (error) {
    mapUserConflict(context, error);
  }
}

export async function deleteUser(context: AdapterContext, id: unknown): Promise<boolean> {
  // Accounts, sessions, OAuth states, verification tokens, role assignments, memberships
  // and team memberships go with the user (ON DELETE CASCADE); invitations they sent keep
  // existing with inviter_id set to null.
  return await deleteRowById(context, 'users', requireUuid('id', id));
}

/** Maps the errors of writes to the accounts table. */
export function mapAccountConflict(context: AdapterContext, error: unknown, userId: string | undefined): never {
  const table = context.tables.accounts.tableName;
  if (isUniqueViolation(error, constraintName(table, ['provider', 'provider_account_id'], 'key'))) {
    throw new AccountAlreadyLinkedError({ cause: error });
  }
  if (isForeignKeyViolation(error, constraintName(table, ['user_id'], 'fkey'))) {
    throw new RecordNotFoundError('user', userId, { cause: error });
  }
  throw error;
}
