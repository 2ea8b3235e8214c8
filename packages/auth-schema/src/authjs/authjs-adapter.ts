import type { Adapter, AdapterAccount, AdapterSession, AdapterUser, VerificationToken } from '@auth/core/adapters';
import { adapterContextOf, type AdapterContext } from '../adapter/adapter-context.js';
import type { AuthAdapter, AuthTypes } from '../adapter/auth-adapter.js';
import * as accounts from '../adapter/account-operations.js';
import type { SqlRecord } from '../adapter/record-operations.js';
import { requireToken } from '../adapter/secret-token.js';
import * as sessions from '../adapter/session-operations.js';
import * as tokens from '../adapter/single-use-token-operations.js';
import * as users from '../adapter/user-operations.js';
import { RecordNotFoundError } from '../errors/input-errors.js';
import { verificationPurposes } from '../schema/domain-values.js';
import { requireDate } from '../validation/input-validation.js';

/**
 * The custom fields of the app's users row that Auth.js users carry along.
 *
 * @example
 * type Extras = AuthJsUserExtras<{ id: string; email: string; display_name: string | null }>; // { display_name: string | null }
 */
export type AuthJsUserExtras<User> = Omit<
  User,
  | 'id'
  | 'email'
  | 'name'
  | 'image'
  | 'email_verified_at'
  | 'emailVerifiedAt'
  | 'password_hash'
  | 'passwordHash'
>;

/**
 * An Auth.js user with the app's custom columns (typed) on it.
 *
 * @example
 * const user: StrataAdapterUser<AppUserRow> | null = await adapter.getUser(id);
 */
export type StrataAdapterUser<User> = AdapterUser & AuthJsUserExtras<User>;

/**
 * The Auth.js `Adapter` Strata implements: every user, account, session and
 * verification-token method, with users typed to include the app's custom columns.
 *
 * @example
 * const adapter: StrataAuthJsAdapter<AppUserRow> = createAuthJsAdapter(auth);
 */
export interface StrataAuthJsAdapter<User = Record<string, unknown>> extends Adapter {
  createUser(user: AdapterUser & Partial<AuthJsUserExtras<User>>): Promise<StrataAdapterUser<User>>;
  getUser(id: string): Promise<StrataAdapterUser<User> | null>;
  getUserByEmail(email: string): Promise<StrataAdapterUser<User> | null>;
  getUserByAccount(account: Pick<AdapterAccount, 'provider' | 'providerAccountId'>): Promise<StrataAdapterUser<User> | null>;
  updateUser(user: Partial<AdapterUser & AuthJsUserExtras<User>> & Pick<AdapterUser, 'id'>): Promise<StrataAdapterUser<User>>;
  deleteUser(userId: string): Promise<StrataAdapterUser<User> | null>;
  linkAccount(account: AdapterAccount): Promise<AdapterAccount>;
  unlinkAccount(account: Pick<AdapterAccount, 'provider' | 'providerAccountId'>): Promise<undefined>;
  getAccount(providerAccountId: string, provider: string): Promise<AdapterAccount | null>;
  createSession(session: { sessionToken: string; userId: string; expires: Date }): Promise<AdapterSession>;
  getSessionAndUser(sessionToken: string): Promise<{ session: AdapterSession; user: StrataAdapterUser<User> } | null>;
  updateSession(session: Partial<AdapterSession> & Pick<AdapterSession, 'sessionToken'>): Promise<AdapterSession | null>;
  deleteSession(sessionToken: string): Promise<null>;
  createVerificationToken(verificationToken: VerificationToken): Promise<VerificationToken>;
  useVerificationToken(params: { identifier: string; token: string }): Promise<VerificationToken | null>;
}

/** Auth.js manages session expiry itself (`updateAge`), so reads here never extend. */
const noSlidingExpiry: sessions.ResolvedSessionPolicy = { maxAgeSeconds: 30 * 24 * 3600, updateAgeSeconds: false };

/** Columns a profile must never set, whatever it contains. */
const protectedUserColumns = new Set(['id', 'password_hash', 'created_at', 'updated_at', 'scopes']);

function userFromRow(context: AdapterContext, row: SqlRecord): AdapterUser {
  const decoded = { ...(context.tables.users.decode(row) as Record<string, unknown>) };
  for (const column of ['email_verified_at', 'password_hash']) delete decoded[context.tables.users.fieldName(column)];
  return {
    ...decoded,
    id: row.id as string,
    email: row.email as string,
    emailVerified: (row.email_verified_at as Date | null) ?? null,
    name: (row.name as string | null) ?? null,
    image: (row.image as string | null) ?? null,
  };
}

/**
 * Translates an Auth.js user into the app's values: the standard fields under the app's
 * field names, plus whatever else the object carries that is a column of the users table
 * (custom columns from the provider's `profile()` callback); everything else is dropped, as
 * a profile may carry anything.
 */
async function userValues(context: AdapterContext, user: Partial<AdapterUser>): Promise<Record<string, unknown>> {
  const codec = context.tables.users;
  const columns = new Set(await context.columnsCache.columnsOf(context.db, codec));
  const standard: Record<string, unknown> = {
    email: user.email,
    email_verified_at: user.emailVerified,
    name: user.name,
    image: user.image,
  };
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(user)) {
    if (key in standard || key === 'emailVerified') continue;
    const column = columns.has(key) ? key : [...columns].find((name) => codec.fieldName(name) === key);
    if (column !== undefined && !protectedUserColumns.has(column) && !(column in standard)) values[key] = value;
  }
  for (const [column, value] of Object.entries(standard)) {
    if (value !== undefined) values[codec.fieldName(column)] = value;
  }
  return values;
}

function accountFromRow(context: AdapterContext, row: SqlRecord): AdapterAccount {
  const expiresAt = row.access_token_expires_at as Date | null;
  const account: Record<string, unknown> = {
    userId: row.user_id,
    type: row.type,
    provider: row.provider,
    providerAccountId: row.provider_account_id,
  };
  for (const field of ['access_token', 'refresh_token', 'id_token', 'token_type', 'scope']) {
    if (row[field] !== null && row[field] !== undefined) account[field] = row[field];
  }
  if (expiresAt) account.expires_at = Math.floor(expiresAt.getTime() / 1000);
  void context;
  return account as unknown as AdapterAccount;
}

function accountValues(context: AdapterContext, account: AdapterAccount): Record<string, unknown> {
  const name = (column: string) => context.tables.accounts.fieldName(column);
  const values: Record<string, unknown> = {
    [name('user_id')]: account.userId,
    [name('type')]: account.type,
    [name('provider')]: account.provider,
    [name('provider_account_id')]: account.providerAccountId,
  };
  for (const field of ['access_token', 'refresh_token', 'id_token', 'token_type', 'scope'] as const) {
    const value = account[field];
    if (typeof value === 'string') values[name(field)] = value;
  }
  if (typeof account.expires_at === 'number') values[name('access_token_expires_at')] = new Date(account.expires_at * 1000);
  const refreshExpiresIn = (account as Record<string, unknown>).refresh_token_expires_in;
  if (typeof refreshExpiresIn === 'number') {
    values[name('refresh_token_expires_at')] = new Date(Date.now() + refreshExpiresIn * 1000);
  }
  return values;
}

/**
 * A raw view of the adapter: operations return rows with SQL column names (no decoding, no
 * user mapper), since this adapter shapes Auth.js objects itself; inputs are still encoded
 * with the app's codecs.
 */
function rawContext(auth: AuthAdapter<AuthTypes, unknown>): AdapterContext {
  const context = adapterContextOf(auth);
  const tables = Object.fromEntries(
    Object.entries(context.tables).map(([role, codec]) => [role, { ...codec, decode: (row: SqlRecord) => row }]),
  ) as unknown as AdapterContext['tables'];
  return { ...context, tables, mapUser: (row) => row };
}

/**
 * An Auth.js (`@auth/core`, `next-auth` v5, `@auth/express`…) adapter over Strata's tables,
 * implementing users, accounts, sessions and verification tokens with Auth.js' documented
 * behaviour, and going further than the stock adapters: users keep the app's custom columns
 * (typed), session and verification tokens are stored only as SHA-256 hashes (Auth.js hands
 * adapters the raw token: it is hashed before it is stored or looked up), a verification
 * token works once even under concurrent use, resolving a session is one statement, and
 * deleting a user removes their sessions and accounts by cascade. Unknown ids give `null`.
 *
 * @example
 * import { createAuthJsAdapter } from '@strata/auth-schema/authjs';
 * const auth = createAuthAdapter({ db, tables: { users: 'app_users' } });
 * export const { handlers } = NextAuth({ adapter: createAuthJsAdapter(auth), providers: [GitHub] });
 */
export function createAuthJsAdapter<Types extends AuthTypes, TUser>(auth: AuthAdapter<Types, TUser>): StrataAuthJsAdapter<Types['user']> {
  const base = auth as unknown as AuthAdapter<AuthTypes, unknown>;
  const context = () => rawContext(base);
  // The app's own codecs, for the custom fields of Auth.js users.
  const appContext = () => adapterContextOf(base);

  async function userById(id: string): Promise<AdapterUser | null> {
    // Auth.js may hand over provider ids (not UUIDs) as user ids: they match nothing.
    if (!isUuid(id)) return null;
    const row = (await users.getUserById(context(), id)) as SqlRecord | null;
    return row ? userFromRow(appContext(), row) : null;
  }

  const adapter: StrataAuthJsAdapter<object> = {
    async createUser(user) {
      const scoped = context();
      // Auth.js proposes an id (a random UUID or the provider's id); the database makes its own.
      const row = (await users.createUser(scoped, await userValues(scoped, user))) as SqlRecord;
      return userFromRow(appContext(), row);
    },
    getUser: userById,
    async getUserByEmail(email) {
      const row = (await users.getUserByEmail(context(), email)) as SqlRecord | null;
      return row ? userFromRow(appContext(), row) : null;
    },
    async getUserByAccount({ provider, providerAccountId }) {
      const row = (await users.getUserByAccount(context(), provider, providerAccountId)) as SqlRecord | null;
      return row ? userFromRow(appContext(), row) : null;
    },
    async updateUser(user) {
      const scoped = context();
      const { id, ...changes } = user;
      const row = (await users.updateUser(scoped, id, await userValues(scoped, changes))) as SqlRecord;
      return userFromRow(appContext(), row);
    },
    async deleteUser(userId) {
      const existing = await userById(userId);
      if (!existing) return null;
      await users.deleteUser(context(), userId);
      return existing;
    },
    async linkAccount(account) {
      const scoped = context();
      return accountFromRow(scoped, (await accounts.linkAccount(scoped, accountValues(scoped, account))) as SqlRecord);
    },
    async unlinkAccount({ provider, providerAccountId }) {
      await accounts.unlinkAccount(context(), provider, providerAccountId);
      return undefined;
    },
    async getAccount(providerAccountId, provider) {
      const row = (await accounts.getAccount(context(), provider, providerAccountId)) as SqlRecord | null;
      return row ? accountFromRow(context(), row) : null;
    },
    async createSession({ sessionToken, userId, expires }) {
      const scoped = context();
      const name = (column: string) => scoped.tables.sessions.fieldName(column);
      const values = { [name('user_id')]: userId, [name('expires_at')]: requireDate('expires', expires) };
      await sessions.createSession(scoped, noSlidingExpiry, values, requireToken('sessionToken', sessionToken));
      return { sessionToken, userId, expires };
    },
    async getSessionAndUser(sessionToken) {
      const scoped = context();
      const resolved = (await sessions.getSessionAndUser(scoped, noSlidingExpiry, sessionToken)) as {
        session: Record<string, unknown>;
        user: SqlRecord;
      } | null;
      if (!resolved) return null;
      const sessionRow = resolved.session;
      return {
        session: { sessionToken, userId: sessionRow.user_id as string, expires: toDate(sessionRow.expires_at) },
        user: userFromRow(appContext(), resolved.user),
      };
    },
    async updateSession({ sessionToken, expires }) {
      const scoped = context();
      const name = (column: string) => scoped.tables.sessions.fieldName(column);
      try {
        const row = (await sessions.updateSession(
          scoped,
          sessionToken,
          expires === undefined ? {} : { [name('expires_at')]: requireDate('expires', expires) },
        )) as Record<string, unknown>;
        return { sessionToken, userId: row.user_id as string, expires: toDate(row.expires_at) };
      } catch (error) {
        if (error instanceof RecordNotFoundError) return null;
        throw error;
      }
    },
    async deleteSession(sessionToken) {
      await sessions.revokeSession(context(), sessionToken);
      return null;
    },
    async createVerificationToken({ identifier, token, expires }) {
      const scoped = context();
      const name = (column: string) => scoped.tables.verificationTokens.fieldName(column);
      await tokens.createVerificationToken(
        scoped,
        { [name('purpose')]: verificationPurposes.signIn, [name('identifier')]: identifier, [name('expires_at')]: requireDate('expires', expires) },
        {},
        requireToken('token', token),
      );
      return { identifier, token, expires };
    },
    async useVerificationToken({ identifier, token }) {
      const scoped = context();
      const row = (await tokens.consumeVerificationToken(scoped, { token, purpose: verificationPurposes.signIn, identifier })) as Record<
        string,
        unknown
      > | null;
      if (!row) return null;
      return { identifier, token, expires: toDate(row.expires_at) };
    },
  };
  return adapter as unknown as StrataAuthJsAdapter<Types['user']>;
}

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

function isUuid(value: unknown): boolean {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
