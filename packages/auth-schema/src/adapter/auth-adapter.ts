import { transaction, type KyselyInstance, type TransactionOptions } from '@strata/db-core';
import type { Kysely } from 'kysely';
import { adapterContextOf, attachContext, createAdapterContext, rebindAdapter, type AdapterContext } from './adapter-context.js';
import type { GeneratedKeys, InsertOf, RowOf, SourceOf, TableSource, UpdateOf, WithOptional, Without } from './adapter-types.js';
import * as accounts from './account-operations.js';
import * as roles from './role-operations.js';
import * as sessions from './session-operations.js';
import * as tokens from './single-use-token-operations.js';
import * as users from './user-operations.js';

/**
 * The app's tables for the auth adapter: Kysely table names or `drizzleAuthTables()` codecs.
 *
 * @example
 * const tables = { users: 'app_users', sessions: 'user_sessions' } satisfies AuthTables<Database>;
 */
export interface AuthTables<DB> {
  readonly users?: TableSource<DB>;
  readonly accounts?: TableSource<DB>;
  readonly sessions?: TableSource<DB>;
  readonly oauthStates?: TableSource<DB>;
  readonly verificationTokens?: TableSource<DB>;
  readonly roles?: TableSource<DB>;
  readonly userRoles?: TableSource<DB>;
}

/**
 * The row, insert and update types of the app's auth tables.
 *
 * @example
 * function audit<Types extends AuthTypes>(auth: AuthAdapter<Types>) { … }
 */
export interface AuthTypes {
  user: object;
  userInsert: object;
  userUpdate: object;
  account: object;
  accountInsert: object;
  accountUpdate: object;
  session: object;
  sessionInsert: object;
  sessionUpdate: object;
  oauthState: object;
  oauthStateInsert: object;
  verificationToken: object;
  verificationTokenInsert: object;
  role: object;
  roleInsert: object;
  roleUpdate: object;
}

/**
 * `AuthTypes` computed from the app's Kysely `Database` and its table configuration.
 *
 * @example
 * type MyAuthTypes = AuthTypesOf<Database, { users: 'app_users' }>;
 * type MyUser = MyAuthTypes['user'];
 */
export type AuthTypesOf<DB, Tables> = {
  user: RowOf<DB, SourceOf<Tables, 'users'>>;
  userInsert: InsertOf<DB, SourceOf<Tables, 'users'>>;
  userUpdate: UpdateOf<DB, SourceOf<Tables, 'users'>>;
  account: RowOf<DB, SourceOf<Tables, 'accounts'>>;
  accountInsert: InsertOf<DB, SourceOf<Tables, 'accounts'>>;
  accountUpdate: UpdateOf<DB, SourceOf<Tables, 'accounts'>>;
  session: RowOf<DB, SourceOf<Tables, 'sessions'>>;
  sessionInsert: InsertOf<DB, SourceOf<Tables, 'sessions'>>;
  sessionUpdate: UpdateOf<DB, SourceOf<Tables, 'sessions'>>;
  oauthState: RowOf<DB, SourceOf<Tables, 'oauthStates'>>;
  oauthStateInsert: InsertOf<DB, SourceOf<Tables, 'oauthStates'>>;
  verificationToken: RowOf<DB, SourceOf<Tables, 'verificationTokens'>>;
  verificationTokenInsert: InsertOf<DB, SourceOf<Tables, 'verificationTokens'>>;
  role: RowOf<DB, SourceOf<Tables, 'roles'>>;
  roleInsert: InsertOf<DB, SourceOf<Tables, 'roles'>>;
  roleUpdate: UpdateOf<DB, SourceOf<Tables, 'roles'>>;
};

/**
 * Options of `createAuthAdapter`.
 *
 * @example
 * const options: AuthAdapterOptions<Database, { users: 'app_users' }, AppUser> = { db, tables: { users: 'app_users' }, mapUser: toAppUser };
 */
export interface AuthAdapterOptions<DB, Tables, TUser> {
  /** The app's Kysely instance, e.g. `createDb()` from `@strata/db-core`, or a transaction. */
  readonly db: KyselyInstance<DB>;
  /** The app's tables; any omitted role uses its default name (`users`, `sessions`…). */
  readonly tables?: Tables;
  /** Turns a users row into what the adapter returns for users (default: the row). */
  readonly mapUser?: (user: RowOf<DB, SourceOf<Tables, 'users'>>) => TUser;
  /** Session lifetime and sliding expiry. */
  readonly sessions?: sessions.SessionPolicy;
  /** Options of the transactions the adapter opens (retries, isolation). */
  readonly transaction?: TransactionOptions;
}

type HashKeys = 'token_hash' | 'tokenHash' | 'state_hash' | 'stateHash' | 'consumed_at' | 'consumedAt';
type ExpiryKeys = 'expires_at' | 'expiresAt';

/**
 * Values for `createSession`: the app's session insert type without what the adapter sets.
 *
 * @example
 * const values: CreateSessionValues<AuthTypesOf<Database, {}>> = { user_id: user.id, ip_address: '203.0.113.7' };
 */
export type CreateSessionValues<Types extends AuthTypes> = WithOptional<Without<Types['sessionInsert'], GeneratedKeys | HashKeys>, ExpiryKeys>;
/**
 * Values for `createOAuthState`.
 *
 * @example
 * const values: CreateOAuthStateValues<AuthTypesOf<Database, {}>> = { code_verifier: verifier, redirect_url: '/' };
 */
export type CreateOAuthStateValues<Types extends AuthTypes> = WithOptional<
  Without<Types['oauthStateInsert'], GeneratedKeys | HashKeys>,
  ExpiryKeys
>;
/**
 * Values for `createVerificationToken`.
 *
 * @example
 * const values: CreateVerificationTokenValues<AuthTypesOf<Database, {}>> = { purpose: 'password_reset', identifier: email };
 */
export type CreateVerificationTokenValues<Types extends AuthTypes> = WithOptional<
  Without<Types['verificationTokenInsert'], GeneratedKeys | HashKeys>,
  ExpiryKeys
>;

/**
 * Persistence for users, accounts, sessions, OAuth states, verification tokens and roles,
 * over the app's own tables. Every method validates its input before any SQL (bad input is
 * an `InvalidInputError`, nothing is written), returns the app's row types (custom columns
 * included) and raises typed errors for conflicts. Lookups return `null` for unknown ids;
 * updates of unknown records throw `RecordNotFoundError`; deletes return whether a row went.
 *
 * Tokens (session, OAuth state, verification) are 256-bit random values returned once and
 * stored only as SHA-256 hashes. Create it with `createAuthAdapter`.
 *
 * @example
 * const auth = createAuthAdapter({ db, tables: { users: 'app_users' } });
 * const user = await auth.createUser({ email: 'ada@example.com', display_name: 'Ada' });
 * const { token } = await auth.createSession({ user_id: user.id });
 * const resolved = await auth.getSessionAndUser(token); // one round trip
 */
export class AuthAdapter<Types extends AuthTypes = AuthTypes, TUser = Types['user']> {
  /** Use `createAuthAdapter` (it computes the types from the app's schema). */
  constructor(options: AuthAdapterOptions<any, any, any>) {
    attachContext(
      this,
      createAdapterContext({
        db: options.db as Kysely<any>,
        tables: options.tables,
        mapUser: options.mapUser,
        transactionOptions: options.transaction,
        settings: { sessionPolicy: sessions.resolveSessionPolicy(options.sessions) },
      }),
    );
  }

  private get context(): AdapterContext {
    return adapterContextOf(this);
  }

  private get policy(): sessions.ResolvedSessionPolicy {
    return this.context.settings.sessionPolicy as sessions.ResolvedSessionPolicy;
  }

  /**
   * The same adapter over another handle, typically a transaction from db-core's
   * `transaction` or `withTenant`, so its operations join the app's transaction.
   *
   * @example
   * await withTenant(db, organizationId, async (trx) => auth.withDatabase(trx).getUserById(userId));
   */
  withDatabase(db: Kysely<any>): this {
    return rebindAdapter(this, db);
  }

  /**
   * Runs the app's own multi-step flow in one transaction (db-core's `transaction`, with
   * bounded retry on serialization failures and deadlocks): `work` gets this adapter bound to
   * the transaction; everything commits together or nothing does.
   *
   * @example
   * await auth.transaction(async (tx) => {
   *   const user = await tx.createUser({ email });
   *   await tx.linkAccount({ user_id: user.id, provider: 'github', provider_account_id: '42' });
   * });
   */
  async transaction<T>(work: (adapter: this) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return await transaction(this.context.db, async (trx) => await work(this.withDatabase(trx)), {
      ...this.context.transactionOptions,
      ...options,
    });
  }

  // ── users ──────────────────────────────────────────────────────────────────────────

  /**
   * Creates a user. `email` is validated and unique case-insensitively (`EmailAlreadyInUseError`).
   *
   * @example
   * const user = await auth.createUser({ email: 'ada@example.com', name: 'Ada' });
   */
  async createUser(values: Types['userInsert']): Promise<TUser> {
    return (await users.createUser(this.context, values)) as TUser;
  }

  /**
   * The user with this id, or `null`.
   *
   * @example
   * const user = await auth.getUserById(id);
   */
  async getUserById(id: string): Promise<TUser | null> {
    return (await users.getUserById(this.context, id)) as TUser | null;
  }

  /**
   * The user with this email (any case), or `null`.
   *
   * @example
   * const user = await auth.getUserByEmail('ADA@example.com');
   */
  async getUserByEmail(email: string): Promise<TUser | null> {
    return (await users.getUserByEmail(this.context, email)) as TUser | null;
  }

  /**
   * The user linked to this provider account, or `null`.
   *
   * @example
   * const user = await auth.getUserByAccount('github', '12345');
   */
  async getUserByAccount(provider: string, providerAccountId: string): Promise<TUser | null> {
    return (await users.getUserByAccount(this.context, provider, providerAccountId)) as TUser | null;
  }

  /**
   * Updates a user; `RecordNotFoundError` when there is none with this id.
   *
   * @example
   * await auth.updateUser(id, { email_verified_at: new Date() });
   */
  async updateUser(id: string, values: Without<Types['userUpdate'], GeneratedKeys>): Promise<TUser> {
    return (await users.updateUser(this.context, id, values)) as TUser;
  }

  /**
   * Deletes a user with (by cascade) their accounts, sessions, OAuth states, verification
   * tokens, roles, memberships and team memberships. Whether there was such a user.
   *
   * @example
   * await auth.deleteUser(id);
   */
  async deleteUser(id: string): Promise<boolean> {
    return await users.deleteUser(this.context, id);
  }

  // ── accounts ───────────────────────────────────────────────────────────────────────

  /**
   * Links a provider account to a user. `AccountAlreadyLinkedError` when this
   * (provider, provider account id) is linked already; `RecordNotFoundError` for an unknown user.
   *
   * @example
   * await auth.linkAccount({ user_id: user.id, provider: 'github', provider_account_id: '12345' });
   */
  async linkAccount(values: Without<Types['accountInsert'], GeneratedKeys>): Promise<Types['account']> {
    return (await accounts.linkAccount(this.context, values)) as Types['account'];
  }

  /**
   * The account for this provider and provider account id (case-insensitive), or `null`.
   *
   * @example
   * const account = await auth.getAccount('github', '12345');
   */
  async getAccount(provider: string, providerAccountId: string): Promise<Types['account'] | null> {
    return (await accounts.getAccount(this.context, provider, providerAccountId)) as Types['account'] | null;
  }

  /**
   * The user's linked accounts, oldest first.
   *
   * @example
   * const linked = await auth.listAccounts(user.id);
   */
  async listAccounts(userId: string): Promise<Types['account'][]> {
    return (await accounts.listAccounts(this.context, userId)) as Types['account'][];
  }

  /**
   * Updates an account (e.g. refreshed provider tokens); `RecordNotFoundError` when absent.
   *
   * @example
   * await auth.updateAccount(account.id, { access_token: fresh, access_token_expires_at: expiry });
   */
  async updateAccount(id: string, values: Without<Types['accountUpdate'], GeneratedKeys>): Promise<Types['account']> {
    return (await accounts.updateAccount(this.context, id, values)) as Types['account'];
  }

  /**
   * Unlinks a provider account; whether it was linked.
   *
   * @example
   * await auth.unlinkAccount('github', '12345');
   */
  async unlinkAccount(provider: string, providerAccountId: string): Promise<boolean> {
    return await accounts.unlinkAccount(this.context, provider, providerAccountId);
  }

  // ── sessions ───────────────────────────────────────────────────────────────────────

  /**
   * Creates a session and returns its token: the only time the raw token exists (only its
   * SHA-256 is stored). Expires after `sessions.maxAgeSeconds` unless the values say otherwise.
   *
   * @example
   * const { token, session } = await auth.createSession({ user_id: user.id, ip_address: request.ip });
   */
  async createSession(values: CreateSessionValues<Types>): Promise<{ token: string; session: Types['session'] }> {
    return (await sessions.createSession(this.context, this.policy, values)) as { token: string; session: Types['session'] };
  }

  /**
   * Resolves a session token to the session and its user in one round trip (one SQL
   * statement joining the two), or `null` when unknown or expired. With sliding expiry, a
   * session due for extension gets one extra UPDATE; others cost no write.
   *
   * @example
   * const resolved = await auth.getSessionAndUser(request.cookies.session);
   * if (!resolved) return reply.status(401);
   */
  async getSessionAndUser(token: string): Promise<{ session: Types['session']; user: TUser } | null> {
    return (await sessions.getSessionAndUser(this.context, this.policy, token)) as { session: Types['session']; user: TUser } | null;
  }

  /**
   * The session for a token (without its user), or `null` when unknown or expired. Does not
   * extend it.
   *
   * @example
   * const session = await auth.getSession(token);
   */
  async getSession(token: string): Promise<Types['session'] | null> {
    return (await sessions.getSession(this.context, token)) as Types['session'] | null;
  }

  /**
   * Updates a live session (e.g. the active organization); `RecordNotFoundError` when the
   * token is unknown or expired.
   *
   * @example
   * await auth.updateSession(token, { active_organization_id: organization.id });
   */
  async updateSession(
    token: string,
    values: Without<Types['sessionUpdate'], GeneratedKeys | HashKeys | 'user_id' | 'userId'>,
  ): Promise<Types['session']> {
    return (await sessions.updateSession(this.context, token, values)) as Types['session'];
  }

  /**
   * Revokes (deletes) the session with this token; whether there was one.
   *
   * @example
   * await auth.revokeSession(token); // sign out
   */
  async revokeSession(token: string): Promise<boolean> {
    return await sessions.revokeSession(this.context, token);
  }

  /**
   * Revokes the session with this id (e.g. from a "your devices" page); whether there was one.
   *
   * @example
   * await auth.revokeSessionById(session.id);
   */
  async revokeSessionById(id: string): Promise<boolean> {
    return await sessions.revokeSessionById(this.context, id);
  }

  /**
   * Revokes every session of a user, optionally keeping the current one; how many went.
   *
   * @example
   * await auth.revokeAllSessions(user.id, { exceptToken: currentToken }); // "sign out elsewhere"
   */
  async revokeAllSessions(userId: string, options: { exceptToken?: string } = {}): Promise<number> {
    return await sessions.revokeAllSessions(this.context, userId, options);
  }

  /**
   * The user's live sessions, oldest first.
   *
   * @example
   * const devices = await auth.listSessions(user.id);
   */
  async listSessions(userId: string): Promise<Types['session'][]> {
    return (await sessions.listSessions(this.context, userId)) as Types['session'][];
  }

  /**
   * Deletes every expired session in one statement; how many. Run it from a periodic job.
   *
   * @example
   * setInterval(() => void auth.deleteExpiredSessions(), 3_600_000).unref();
   */
  async deleteExpiredSessions(): Promise<number> {
    return await sessions.deleteExpiredSessions(this.context);
  }

  // ── OAuth states ───────────────────────────────────────────────────────────────────

  /**
   * Stores the pending state of an OAuth authorization-code flow and returns the `state`
   * value to send to the provider (only its hash is stored). Default lifetime 10 minutes.
   *
   * @example
   * const { state } = await auth.createOAuthState({ code_verifier: verifier, redirect_url: '/dashboard' });
   */
  async createOAuthState(
    values: CreateOAuthStateValues<Types> = {} as CreateOAuthStateValues<Types>,
    options: tokens.TokenLifetimeOptions = {},
  ): Promise<{ state: string; oauthState: Types['oauthState'] }> {
    return (await tokens.createOAuthState(this.context, values, options)) as { state: string; oauthState: Types['oauthState'] };
  }

  /**
   * Consumes the state from the provider's callback, atomically: of concurrent callbacks
   * with the same state exactly one gets the record; expired or unknown states give `null`.
   *
   * @example
   * const pending = await auth.consumeOAuthState(query.state);
   * if (!pending) return reply.status(400);
   */
  async consumeOAuthState(state: string): Promise<Types['oauthState'] | null> {
    return (await tokens.consumeOAuthState(this.context, state)) as Types['oauthState'] | null;
  }

  /**
   * Deletes every expired OAuth state; how many.
   *
   * @example
   * await auth.deleteExpiredOAuthStates();
   */
  async deleteExpiredOAuthStates(): Promise<number> {
    return await tokens.deleteExpiredOAuthStates(this.context);
  }

  // ── verification tokens ────────────────────────────────────────────────────────────

  /**
   * Creates a single-use token (email verification, password reset, email change…) and
   * returns it once; only its hash is stored. Default lifetime 1 hour.
   *
   * @example
   * const { token } = await auth.createVerificationToken(
   *   { purpose: 'password_reset', identifier: user.email, user_id: user.id },
   *   { expiresInSeconds: 900, replacePrevious: true },
   * );
   */
  async createVerificationToken(
    values: CreateVerificationTokenValues<Types>,
    options: tokens.VerificationTokenOptions = {},
  ): Promise<{ token: string; verificationToken: Types['verificationToken'] }> {
    return (await tokens.createVerificationToken(this.context, values, options)) as {
      token: string;
      verificationToken: Types['verificationToken'];
    };
  }

  /**
   * Consumes a verification token atomically: exactly one of any number of concurrent
   * consumers gets the record; used, expired or unknown tokens, or another purpose, give `null`.
   *
   * @example
   * const reset = await auth.consumeVerificationToken({ token, purpose: 'password_reset' });
   * if (!reset) return reply.status(410);
   */
  async consumeVerificationToken(match: tokens.VerificationTokenMatch): Promise<Types['verificationToken'] | null> {
    return (await tokens.consumeVerificationToken(this.context, match)) as Types['verificationToken'] | null;
  }

  /**
   * Deletes every expired or consumed verification token; how many.
   *
   * @example
   * await auth.deleteExpiredVerificationTokens();
   */
  async deleteExpiredVerificationTokens(): Promise<number> {
    return await tokens.deleteExpiredVerificationTokens(this.context);
  }

  // ── roles ──────────────────────────────────────────────────────────────────────────

  /**
   * Creates a role; `RoleNameTakenError` when the name exists.
   *
   * @example
   * const admin = await auth.createRole({ name: 'admin' });
   */
  async createRole(values: Without<Types['roleInsert'], GeneratedKeys>): Promise<Types['role']> {
    return (await roles.createRole(this.context, values)) as Types['role'];
  }

  /**
   * Updates a role; `RecordNotFoundError` when absent.
   *
   * @example
   * await auth.updateRole(role.id, { description: 'Full access' });
   */
  async updateRole(id: string, values: Without<Types['roleUpdate'], GeneratedKeys>): Promise<Types['role']> {
    return (await roles.updateRole(this.context, id, values)) as Types['role'];
  }

  /**
   * The role with this name, or `null`.
   *
   * @example
   * const admin = await auth.getRoleByName('admin');
   */
  async getRoleByName(name: string): Promise<Types['role'] | null> {
    return (await roles.getRoleByName(this.context, name)) as Types['role'] | null;
  }

  /**
   * Every role, by name.
   *
   * @example
   * const all = await auth.listRoles();
   */
  async listRoles(): Promise<Types['role'][]> {
    return (await roles.listRoles(this.context)) as Types['role'][];
  }

  /**
   * Deletes a role (and its assignments); whether it existed.
   *
   * @example
   * await auth.deleteRole(role.id);
   */
  async deleteRole(id: string): Promise<boolean> {
    return await roles.deleteRole(this.context, id);
  }

  /**
   * Gives a user a role; `true` when newly given, `false` when they had it.
   *
   * @example
   * await auth.assignRole(user.id, admin.id);
   */
  async assignRole(userId: string, roleId: string): Promise<boolean> {
    return await roles.assignRole(this.context, userId, roleId);
  }

  /**
   * Takes a role from a user; whether they had it.
   *
   * @example
   * await auth.revokeRole(user.id, admin.id);
   */
  async revokeRole(userId: string, roleId: string): Promise<boolean> {
    return await roles.revokeRole(this.context, userId, roleId);
  }

  /**
   * The user's roles, by name.
   *
   * @example
   * const userRoles = await auth.listUserRoles(user.id);
   */
  async listUserRoles(userId: string): Promise<Types['role'][]> {
    return (await roles.listUserRoles(this.context, userId)) as Types['role'][];
  }

  /**
   * Whether the user has the role with this name (one indexed query).
   *
   * @example
   * if (!(await auth.userHasRole(user.id, 'admin'))) return reply.status(403);
   */
  async userHasRole(userId: string, roleName: string): Promise<boolean> {
    return await roles.userHasRole(this.context, userId, roleName);
  }
}

/**
 * Creates an `AuthAdapter` over the app's tables, typed from its schema: with Kysely, row
 * types come from the `Database` interface (`tables` names its tables); with Drizzle, pass
 * `tables: drizzleAuthTables({ users, sessions, … })` from `@strata/auth-schema/drizzle`.
 *
 * @example
 * const auth = createAuthAdapter({
 *   db, // createDb<Database>(…) from @strata/db-core
 *   tables: { users: 'app_users' },
 *   sessions: { maxAgeSeconds: 7 * 86_400, updateAgeSeconds: 3_600 },
 * });
 */
export function createAuthAdapter<
  DB,
  const Tables extends AuthTables<NoInfer<DB>> = {},
  TUser = RowOf<DB, SourceOf<Tables, 'users'>>,
>(options: AuthAdapterOptions<DB, Tables, TUser>): AuthAdapter<AuthTypesOf<DB, Tables>, TUser> {
  return new AuthAdapter<AuthTypesOf<DB, Tables>, TUser>(options);
}
