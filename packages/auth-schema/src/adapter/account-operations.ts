import { RecordNotFoundError } from '../errors/input-errors.js';
import { fieldLimits, optionalDate, optionalText, requireText, requireUuid } from '../validation/input-validation.js';
import type { AdapterContext } from './adapter-context.js';
import {
  appValues,
  decodeRow,
  encodeValues,
  insertRow,
  updateRowById,
  type AppValues,
  type SqlRecord,
} from './record-operations.js';
import { mapAccountConflict } from './user-operations.js';

const managedAccountColumns = ['id', 'created_at', 'updated_at'];

function validateAccountValues(values: AppValues, partial: boolean): void {
  if (!partial) {
    requireUuid(values.name('user_id'), values.get('user_id'));
    requireText(values.name('provider'), values.get('provider'), fieldLimits.providerField);
    requireText(values.name('provider_account_id'), values.get('provider_account_id'), fieldLimits.providerField);
  }
  optionalText(values.name('type'), values.get('type'), fieldLimits.role);
  for (const column of ['access_token', 'refresh_token', 'id_token']) {
    optionalText(values.name(column), values.get(column), fieldLimits.providerToken);
  }
  optionalText(values.name('token_type'), values.get('token_type'), fieldLimits.role);
  optionalText(values.name('scope'), values.get('scope'), fieldLimits.description);
  optionalDate(values.name('access_token_expires_at'), values.get('access_token_expires_at'));
  optionalDate(values.name('refresh_token_expires_at'), values.get('refresh_token_expires_at'));
}

export async function linkAccount(context: AdapterContext, values: unknown): Promise<unknown> {
  const input = appValues(context.tables.accounts, values);
  validateAccountValues(input, false);
  const record = encodeValues(context.tables.accounts, input, managedAccountColumns);
  try {
    return decodeRow(context, 'accounts', await insertRow(context, 'accounts', record));
  } catch (error) {
    mapAccountConflict(context, error, String(record.user_id));
  }
}

export async function getAccount(context: AdapterContext, provider: unknown, providerAccountId: unknown): Promise<unknown> {
  const row = (await context.db
    .selectFrom(context.tables.accounts.tableName)
    .selectAll()
    .where('provider', '=', requireText('provider', provider, fieldLimits.providerField))
    .where('provider_account_id', '=', requireText('providerAccountId', providerAccountId, fieldLimits.providerField))
    .executeTakeFirst()) as SqlRecord | undefined;
  return row ? decodeRow(context, 'accounts', row) : null;
}

export async function listAccounts(context: AdapterContext, userId: unknown): Promise<unknown[]> {
  const rows = (await context.db
    .selectFrom(context.tables.accounts.tableName)
    .selectAll()
    .where('user_id', '=', requireUuid('userId', userId))
    .orderBy('created_at')
    .execute()) as SqlRecord[];
  return rows.map((row) => decodeRow(context, 'accounts', row));
}

export async function updateAccount(context: AdapterContext, id: unknown, values: unknown): Promise<unknown> {
  const accountId = requireUuid('id', id);
  const input = appValues(context.tables.accounts, values);
  validateAccountValues(input, true);
  const record = encodeValues(context.tables.accounts, input, [...managedAccountColumns, 'user_id'], 'update');
  try {
    const row = await updateRowById(context, 'accounts', accountId, record);
    if (!row) throw new RecordNotFoundError('account', accountId);
    return decodeRow(context, 'accounts', row);
  } catch (error) {
    mapAccountConflict(context, error, undefined);
  }
}

export async function unlinkAccount(context: AdapterContext, provider: unknown, providerAccountId: unknown): Promise<boolean> {
  const result = await context.db
    .deleteFrom(context.tables.accounts.tableName)
    .where('provider', '=', requireText('provider', provider, fieldLimits.providerField))
    .where('provider_account_id', '=', requireText('providerAccountId', providerAccountId, fieldLimits.providerField))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
