import { sql } from 'kysely';
import { RecordNotFoundError } from '../errors/input-errors.js';
import { constraintName } from '../schema/constraint-names.js';
import {
  fieldLimits,
  optionalDate,
  optionalText,
  optionalUuid,
  requireDurationSeconds,
  requireRecord,
  requireText,
} from '../validation/input-validation.js';
import { inTransaction, type AdapterContext, type TableRole } from './adapter-context.js';
import { isForeignKeyViolation } from './database-errors.js';
import { appValues, decodeRow, encodeValues, insertRow, type SqlRecord } from './record-operations.js';
import { generateToken, hashToken, requireToken } from './secret-token.js';

/**
 * Options of the token-creating operations.
 *
 * @example
 * await auth.createOAuthState({ code_verifier: verifier }, { expiresInSeconds: 300 });
 */
export interface TokenLifetimeOptions {
  /** Lifetime in seconds when the values carry no explicit expiry. */
  readonly expiresInSeconds?: number;
}

/**
 * Options of `createVerificationToken`.
 *
 * @example
 * await auth.createVerificationToken({ purpose: 'password_reset', identifier: email }, { expiresInSeconds: 900, replacePrevious: true });
 */
export interface VerificationTokenOptions extends TokenLifetimeOptions {
  /**
   * Delete the unconsumed tokens of the same purpose and identifier in the same transaction
   * (so only the newest password-reset link works). Default false.
   */
  readonly replacePrevious?: boolean;
}

/**
 * What a single-use consumer matches on besides the token itself.
 *
 * @example
 * await auth.consumeVerificationToken({ token, purpose: 'email_change', identifier: user.email });
 */
export interface VerificationTokenMatch {
  readonly token: string;
  readonly purpose: string;
  /** When given, the token must also belong to this identifier. */
  readonly identifier?: string;
}

function expiresAt(record: SqlRecord, options: TokenLifetimeOptions, defaultSeconds: number): Date {
  if (record.expires_at instanceof Date) return record.expires_at;
  if (typeof record.expires_at === 'string') return new Date(record.expires_at);
  const seconds = requireDurationSeconds('expiresInSeconds', options.expiresInSeconds ?? defaultSeconds);
  return new Date(Date.now() + seconds * 1000);
}

function mapUserReference(context: AdapterContext, role: TableRole, error: unknown, userId: unknown): never {
  if (isForeignKeyViolation(error, constraintName(context.tables[role].tableName, ['user_id'], 'fkey'))) {
    throw new RecordNotFoundError('user', typeof userId === 'string' ? userId : undefined, { cause: error });
  }
  throw error;
}

const managedTokenColumns = ['id', 'token_hash', 'state_hash', 'consumed_at', 'created_at', 'updated_at'];

export async function createOAuthState(
  context: AdapterContext,
  values: unknown,
  options: TokenLifetimeOptions = {},
): Promise<{ state: string; oauthState: unknown }> {
  const input = appValues(context.tables.oauthStates, values ?? {});
  optionalText(input.name('code_verifier'), input.get('code_verifier'), fieldLimits.token);
  optionalText(input.name('redirect_url'), input.get('redirect_url'), fieldLimits.url);
  optionalUuid(input.name('user_id'), input.get('user_id'));
  optionalDate(input.name('expires_at'), input.get('expires_at'));
  const record = encodeValues(context.tables.oauthStates, input, managedTokenColumns);
  const state = generateToken();
  record.state_hash = hashToken(state);
  record.expires_at = expiresAt(record, options, 600);
  try {
    const row = await insertRow(context, 'oauthStates', record);
    return { state, oauthState: decodeRow(context, 'oauthStates', row) };
  } catch (error) {
    mapUserReference(context, 'oauthStates', error, record.user_id);
  }
}

/**
 * Consumes an OAuth state: `DELETE … RETURNING` in one statement, so of any number of
 * concurrent callbacks with the same state exactly one gets the row. An expired state is
 * deleted too, but reported as `null`: it is never accepted.
 */
export async function consumeOAuthState(context: AdapterContext, state: unknown): Promise<unknown> {
  const row = (await context.db
    .deleteFrom(context.tables.oauthStates.tableName)
    .where('state_hash', '=', hashToken(requireToken('state', state)))
    .returningAll()
    .returning(sql<boolean>`expires_at > now()`.as('strata_is_valid'))
    .executeTakeFirst()) as (SqlRecord & { strata_is_valid?: boolean }) | undefined;
  if (!row?.strata_is_valid) return null;
  delete row.strata_is_valid;
  return decodeRow(context, 'oauthStates', row);
}

export async function deleteExpiredOAuthStates(context: AdapterContext): Promise<number> {
  const result = await context.db
    .deleteFrom(context.tables.oauthStates.tableName)
    .where('expires_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function createVerificationToken(
  context: AdapterContext,
  values: unknown,
  options: VerificationTokenOptions = {},
  token: string = generateToken(),
): Promise<{ token: string; verificationToken: unknown }> {
  const input = appValues(context.tables.verificationTokens, values);
  const purpose = requireText(input.name('purpose'), input.get('purpose'), fieldLimits.purpose);
  const identifier = requireText(input.name('identifier'), input.get('identifier'), fieldLimits.identifier);
  optionalUuid(input.name('user_id'), input.get('user_id'));
  optionalDate(input.name('expires_at'), input.get('expires_at'));
  const record = encodeValues(context.tables.verificationTokens, input, managedTokenColumns);
  record.token_hash = hashToken(token);
  record.expires_at = expiresAt(record, options, 3600);
  try {
    // Replacing earlier tokens and issuing the new one must commit together; a plain
    // issue is a single INSERT and needs no transaction.
    const row = options.replacePrevious
      ? await inTransaction(context, async (scoped) => {
          await scoped.db
            .deleteFrom(scoped.tables.verificationTokens.tableName)
            .where('purpose', '=', purpose)
            .where('identifier', '=', identifier)
            .where('consumed_at', 'is', null)
            .execute();
          return await insertRow(scoped, 'verificationTokens', record);
        })
      : await insertRow(context, 'verificationTokens', record);
    return { token, verificationToken: decodeRow(context, 'verificationTokens', row) };
  } catch (error) {
    mapUserReference(context, 'verificationTokens', error, record.user_id);
  }
}

/**
 * Consumes a verification token: one `UPDATE … SET consumed_at = now() WHERE consumed_at IS
 * NULL AND expires_at > now() … RETURNING`. Concurrent consumers queue on the row lock and
 * re-check the WHERE after the winner commits, so exactly one succeeds; expired, used or
 * unknown tokens (or a purpose/identifier mismatch) give `null`.
 */
export async function consumeVerificationToken(context: AdapterContext, match: VerificationTokenMatch): Promise<unknown> {
  requireRecord('match', match);
  const tokenHash = hashToken(requireToken('token', match.token));
  const purpose = requireText('purpose', match.purpose, fieldLimits.purpose);
  let query = context.db
    .updateTable(context.tables.verificationTokens.tableName)
    .set({ consumed_at: sql`now()`, updated_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`);
  if (match.identifier !== undefined) {
    query = query.where('identifier', '=', requireText('identifier', match.identifier, fieldLimits.identifier));
  }
  const row = (await query.returningAll().executeTakeFirst()) as SqlRecord | undefined;
  return row ? decodeRow(context, 'verificationTokens', row) : null;
}

export async function deleteExpiredVerificationTokens(context: AdapterContext): Promise<number> {
  const result = await context.db
    .deleteFrom(context.tables.verificationTokens.tableName)
    .where((expression) => expression.or([expression('expires_at', '<=', sql<Date>`now()`), expression('consumed_at', 'is not', null)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
