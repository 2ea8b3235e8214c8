import { createHash } from 'node:crypto';
import { createDb, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { AccountAlreadyLinkedError, EmailAlreadyInUseError, RoleNameTakenError } from '../errors/conflict-errors.js';
import { InvalidInputError, RecordNotFoundError } from '../errors/input-errors.js';
import { testTableNames, type TestDatabase } from '../testing/kysely-test-schema.js';
import { adminQuery, createTestSchema, tableCounts } from '../testing/test-schema-setup.js';
import { createAuthAdapter } from './auth-adapter.js';

const database = useTestDatabase();
let db: StrataDb<TestDatabase>;
let queries: string[] = [];

function makeAdapter() {
  return createAuthAdapter({ db, tables: testTableNames, sessions: { maxAgeSeconds: 3600, updateAgeSeconds: 600 } });
}
let auth: ReturnType<typeof makeAdapter>;

beforeAll(async () => {
  await createTestSchema(database, 'kysely');
  db = createDb<TestDatabase>({
    connectionString: database.appUrl,
    max: 60,
    log: (event) => {
      if (event.level === 'query') queries.push(event.query.sql);
    },
  });
  auth = makeAdapter();
});

afterAll(async () => {
  await db?.close();
});

let emailCounter = 0;
function uniqueEmail(): string {
  emailCounter += 1;
  return `person${emailCounter}@example.com`;
}

describe('users', () => {
  it('creates and reads users with custom columns, typed', async () => {
    const user = await auth.createUser({ email: uniqueEmail(), display_name: 'Ada' });
    expectTypeOf(user.display_name).toEqualTypeOf<string | null>();
    expect(user.display_name).toBe('Ada');
    expect(user.scopes).toEqual([]);
    const again = await auth.getUserById(user.id);
    expect(again?.display_name).toBe('Ada');
    const updated = await auth.updateUser(user.id, { display_name: 'Ada L.' });
    expect(updated.display_name).toBe('Ada L.');
    expect(updated.updated_at.getTime()).toBeGreaterThanOrEqual(user.updated_at.getTime());
  });

  it('compares emails case-insensitively, in the database', async () => {
    const email = uniqueEmail();
    const user = await auth.createUser({ email });
    expect((await auth.getUserByEmail(email.toUpperCase()))?.id).toBe(user.id);
    await expect(auth.createUser({ email: email.toUpperCase() })).rejects.toBeInstanceOf(EmailAlreadyInUseError);
  });

  it('rejects bad input before any SQL, writing nothing', async () => {
    const before = await tableCounts(database);
    queries = [];
    await expect(auth.createUser({ email: 'not-an-email' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(auth.createUser({ email: `${'a'.repeat(260)}@example.com` })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(auth.createUser({ email: uniqueEmail(), name: 'x'.repeat(10_000) })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(auth.getUserById('42')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(auth.getUserById(42 as unknown as string)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(auth.updateUser('nope', { name: 'x' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(auth.createSession({ user_id: 'nope' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(auth.createSession({ user_id: crypto.randomUUID(), ip_address: 'not an ip' })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(auth.getSessionAndUser('')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(auth.getSessionAndUser('x'.repeat(5000))).rejects.toBeInstanceOf(InvalidInputError);
    expect(queries).toEqual([]);
    expect(await tableCounts(database)).toEqual(before);
  });

  it('returns null for unknown ids and throws typed errors when changing them', async () => {
    const unknown = crypto.randomUUID();
    expect(await auth.getUserById(unknown)).toBeNull();
    await expect(auth.updateUser(unknown, { name: 'x' })).rejects.toBeInstanceOf(RecordNotFoundError);
    expect(await auth.deleteUser(unknown)).toBe(false);
    await expect(auth.linkAccount({ user_id: unknown, provider: 'github', provider_account_id: '1' })).rejects.toBeInstanceOf(
      RecordNotFoundError,
    );
    await expect(auth.createSession({ user_id: unknown })).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it('deleting a user cascades to accounts, sessions, tokens and roles', async () => {
    const user = await auth.createUser({ email: uniqueEmail() });
    await auth.linkAccount({ user_id: user.id, provider: 'github', provider_account_id: `cascade-${user.id}` });
    await auth.createSession({ user_id: user.id });
    await auth.createOAuthState({ user_id: user.id });
    await auth.createVerificationToken({ purpose: 'email_verification', identifier: user.email, user_id: user.id });
    const role = await auth.createRole({ name: `cascade-${user.id}` });
    await auth.assignRole(user.id, role.id);
    expect(await auth.deleteUser(user.id)).toBe(true);
    for (const table of ['accounts', 'sessions', 'oauth_states', 'verification_tokens', 'user_roles']) {
      const [row] = await adminQuery<{ count: string }>(database, `select count(*) from ${table} where user_id = $1`, [user.id]);
      expect(row!.count, table).toBe('0');
    }
    expect(await auth.getRoleByName(role.name)).not.toBeNull();
  });
});

describe('accounts', () => {
  it('links accounts uniquely per (provider, provider account id), case-insensitively', async () => {
    const user = await auth.createUser({ email: uniqueEmail() });
    const account = await auth.linkAccount({
      user_id: user.id,
      provider: 'GitHub',
      provider_account_id: 'AbC-1',
      access_token: 'provider-token',
    });
    expect(account.type).toBe('oauth');
    expect((await auth.getUserByAccount('github', 'abc-1'))?.id).toBe(user.id);
    const other = await auth.createUser({ email: uniqueEmail() });
    await expect(auth.linkAccount({ user_id: other.id, provider: 'github', provider_account_id: 'abc-1' })).rejects.toBeInstanceOf(
      AccountAlreadyLinkedError,
    );
    const refreshed = await auth.updateAccount(account.id, { access_token: 'fresh' });
    expect(refreshed.access_token).toBe('fresh');
    expect(await auth.listAccounts(user.id)).toHaveLength(1);
    expect(await auth.unlinkAccount('GITHUB', 'ABC-1')).toBe(true);
    expect(await auth.getAccount('github', 'abc-1')).toBeNull();
    expect(await auth.getUserByAccount('github', 'abc-1')).toBeNull();
  });
});

describe('sessions', () => {
  it('returns a 256-bit token once and stores only its SHA-256', async () => {
    const user = await auth.createUser({ email: uniqueEmail() });
    const { token, session } = await auth.createSession({ user_id: user.id, device_label: 'laptop' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(session.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(session.device_label).toBe('laptop');
  });

  it('resolves session and user in one round trip, custom columns included', async () => {
    const user = await auth.createUser({ email: uniqueEmail(), display_name: 'Grace' });
    const { token } = await auth.createSession({ user_id: user.id, device_label: 'phone' });
    await auth.getSessionAndUser(token); // warms the column cache (read once per table)
    queries = [];
    const resolved = await auth.getSessionAndUser(token);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/ join /);
    expect(resolved?.user.display_name).toBe('Grace');
    expect(resolved?.session.device_label).toBe('phone');
    expect(resolved?.user.id).toBe(user.id);
    expect(resolved?.session.user_id).toBe(user.id);
    expectTypeOf(resolved!.user.display_name).toEqualTypeOf<string | null>();
  });

  it('never accepts an expired session', async () => {
    const user = await auth.createUser({ email: uniqueEmail() });
    const { token } = await auth.createSession({ user_id: user.id, expires_at: new Date(Date.now() - 1000) });
    expect(await auth.getSessionAndUser(token)).toBeNull();
    expect(await auth.getSession(token)).toBeNull();
    expect(await auth.deleteExpiredSessions()).toBeGreaterThanOrEqual(1);
  });

  it('extends sliding sessions only when due, so most reads write nothing', async () => {
    const user = await auth.createUser({ email: uniqueEmail() });
    const { token, session } = await auth.createSession({ user_id: user.id });
    queries = [];
    const fresh = await auth.getSessionAndUser(token);
    expect(queries.filter((query) => query.startsWith('update'))).toEqual([]);
    expect(fresh?.session.expires_at.getTime()).toBe(session.expires_at.getTime());

    // Last extended more than updateAgeSeconds (600 s) ago: 3600 - 700 s left.
    await adminQuery(database, `update sessions set expires_at = now() + interval '2900 seconds' where id = $1`, [session.id]);
    queries = [];
    const extended = await auth.getSessionAndUser(token);
    expect(queries.filter((query) => query.startsWith('update'))).toHaveLength(1);
    expect(extended!.session.expires_at.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    queries = [];
    await auth.getSessionAndUser(token);
    expect(queries.filter((query) => query.startsWith('update'))).toEqual([]);
  });

  it('updates, lists and revokes one or all sessions', async () => {
    const user = await auth.createUser({ email: uniqueEmail() });
    const first = await auth.createSession({ user_id: user.id });
    const second = await auth.createSession({ user_id: user.id });
    const third = await auth.createSession({ user_id: user.id });
    const updated = await auth.updateSession(first.token, { device_label: 'desk' });
    expect(updated.device_label).toBe('desk');
    expect(await auth.listSessions(user.id)).toHaveLength(3);
    expect(await auth.revokeSession(first.token)).toBe(true);
    expect(await auth.revokeSession(first.token)).toBe(false);
    expect(await auth.getSessionAndUser(first.token)).toBeNull();
    expect(await auth.revokeAllSessions(user.id, { exceptToken: third.token })).toBe(1);
    expect(await auth.getSessionAndUser(second.token)).toBeNull();
    expect(await auth.getSessionAndUser(third.token)).not.toBeNull();
    expect(await auth.revokeSessionById(third.session.id)).toBe(true);
    await expect(auth.updateSession(third.token, { device_label: 'x' })).rejects.toBeInstanceOf(RecordNotFoundError);
  });
});

describe('single-use tokens', () => {
  it('of 50 concurrent consumers of one reset token, exactly one succeeds', async () => {
    const user = await auth.createUser({ email: uniqueEmail() });
    const { token } = await auth.createVerificationToken({ purpose: 'password_reset', identifier: user.email, user_id: user.id });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => auth.consumeVerificationToken({ token, purpose: 'password_reset' })),
    );
    expect(results.filter((result) => result !== null)).toHaveLength(1);
    expect(await auth.consumeVerificationToken({ token, purpose: 'password_reset' })).toBeNull();
  });

  it('never accepts expired tokens, another purpose or another identifier', async () => {
    const user = await auth.createUser({ email: uniqueEmail() });
    const expired = await auth.createVerificationToken({
      purpose: 'email_verification',
      identifier: user.email,
      expires_at: new Date(Date.now() - 1),
    });
    expect(await auth.consumeVerificationToken({ token: expired.token, purpose: 'email_verification' })).toBeNull();
    const valid = await auth.createVerificationToken({ purpose: 'email_verification', identifier: user.email, payload: { step: 1 } });
    expect(await auth.consumeVerificationToken({ token: valid.token, purpose: 'password_reset' })).toBeNull();
    expect(
      await auth.consumeVerificationToken({ token: valid.token, purpose: 'email_verification', identifier: 'other@example.com' }),
    ).toBeNull();
    const consumed = await auth.consumeVerificationToken({
      token: valid.token,
      purpose: 'email_verification',
      identifier: user.email,
    });
    expect(consumed?.payload).toEqual({ step: 1 });
    expect(consumed?.consumed_at).toBeInstanceOf(Date);
    expect(await auth.deleteExpiredVerificationTokens()).toBeGreaterThanOrEqual(2);
  });

  it('replaces previous tokens of the same purpose and identifier when asked', async () => {
    const identifier = uniqueEmail();
    const first = await auth.createVerificationToken({ purpose: 'password_reset', identifier });
    const second = await auth.createVerificationToken({ purpose: 'password_reset', identifier }, { replacePrevious: true });
    expect(await auth.consumeVerificationToken({ token: first.token, purpose: 'password_reset' })).toBeNull();
    expect(await auth.consumeVerificationToken({ token: second.token, purpose: 'password_reset' })).not.toBeNull();
  });

  it('consumes OAuth states once, even concurrently, and never when expired', async () => {
    const { state, oauthState } = await auth.createOAuthState({ code_verifier: 'verifier', redirect_url: '/after' });
    expect(oauthState.state_hash.equals(createHash('sha256').update(state).digest())).toBe(true);
    const results = await Promise.all(Array.from({ length: 20 }, () => auth.consumeOAuthState(state)));
    const winners = results.filter((result) => result !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.code_verifier).toBe('verifier');
    const expired = await auth.createOAuthState({}, { expiresInSeconds: 1 });
    await adminQuery(database, `update oauth_states set expires_at = now() - interval '1 second' where id = $1`, [
      expired.oauthState.id,
    ]);
    expect(await auth.consumeOAuthState(expired.state)).toBeNull();
    await auth.createOAuthState({}, { expiresInSeconds: 1 });
    await adminQuery(database, `update oauth_states set expires_at = now() - interval '1 second'`);
    expect(await auth.deleteExpiredOAuthStates()).toBeGreaterThanOrEqual(1);
  });
});

describe('roles', () => {
  it('creates, assigns, checks and revokes roles', async () => {
    const user = await auth.createUser({ email: uniqueEmail() });
    const role = await auth.createRole({ name: 'editor', description: 'Edits' });
    await expect(auth.createRole({ name: 'editor' })).rejects.toBeInstanceOf(RoleNameTakenError);
    expect(await auth.assignRole(user.id, role.id)).toBe(true);
    expect(await auth.assignRole(user.id, role.id)).toBe(false);
    expect(await auth.userHasRole(user.id, 'editor')).toBe(true);
    expect((await auth.listUserRoles(user.id)).map((r) => r.name)).toEqual(['editor']);
    expect((await auth.updateRole(role.id, { description: 'Writes' })).description).toBe('Writes');
    expect((await auth.listRoles()).some((r) => r.id === role.id)).toBe(true);
    await expect(auth.assignRole(user.id, crypto.randomUUID())).rejects.toBeInstanceOf(RecordNotFoundError);
    expect(await auth.revokeRole(user.id, role.id)).toBe(true);
    expect(await auth.userHasRole(user.id, 'editor')).toBe(false);
    expect(await auth.deleteRole(role.id)).toBe(true);
  });
});

describe('transactions and mappers', () => {
  it('rolls the whole flow back when it fails', async () => {
    const email = uniqueEmail();
    await expect(
      auth.transaction(async (tx) => {
        const user = await tx.createUser({ email });
        await tx.linkAccount({ user_id: user.id, provider: 'github', provider_account_id: `tx-${email}` });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await auth.getUserByEmail(email)).toBeNull();
  });

  it('returns what the user mapper makes', async () => {
    const mapped = createAuthAdapter({
      db,
      tables: testTableNames,
      mapUser: (row) => ({ id: row.id, label: row.display_name ?? row.email }),
    });
    const user = await mapped.createUser({ email: uniqueEmail(), display_name: 'Mapped' });
    expectTypeOf(user).toEqualTypeOf<{ id: string; label: string }>();
    expect(user).toEqual({ id: user.id, label: 'Mapped' });
    const { token } = await mapped.createSession({ user_id: user.id });
    expect((await mapped.getSessionAndUser(token))?.user).toEqual(user);
  });
});

describe('stored secrets', () => {
  it('no raw token appears anywhere in a dump of the data', async () => {
    const user = await auth.createUser({ email: uniqueEmail() });
    const { token: sessionToken } = await auth.createSession({ user_id: user.id });
    const { state } = await auth.createOAuthState({ user_id: user.id });
    const { token: resetToken } = await auth.createVerificationToken({ purpose: 'password_reset', identifier: user.email });
    const tables = await adminQuery<{ name: string }>(
      database,
      `select relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = 'public' and relkind = 'r'`,
    );
    let dump = '';
    for (const { name } of tables) {
      const rows = await adminQuery<{ line: string }>(database, `select t::text as line from ${name} t`);
      dump += rows.map((row) => row.line).join('\n');
    }
    for (const secret of [sessionToken, state, resetToken]) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(Buffer.from(secret).toString('hex'));
      expect(dump).not.toContain(Buffer.from(secret, 'base64url').toString('hex'));
    }
    const [count] = await adminQuery<{ count: string }>(database, `select count(*) from sessions where token_hash = $1`, [
      createHash('sha256').update(sessionToken).digest(),
    ]);
    expect(count!.count).toBe('1');
    void sql;
  });
});

describe('schema changes under a running adapter', () => {
  it('keeps resolving sessions after a column is dropped or retyped', async () => {
    const user = await auth.createUser({ email: uniqueEmail(), display_name: 'Migrated' });
    const { token } = await auth.createSession({ user_id: user.id, device_label: 'old' });
    expect((await auth.getSessionAndUser(token))?.session.device_label).toBe('old');
    await adminQuery(database, 'alter table sessions alter column device_label type varchar(100)');
    expect((await auth.getSessionAndUser(token))?.user.display_name).toBe('Migrated');
    await adminQuery(database, 'alter table sessions drop column device_label');
    const resolved = await auth.getSessionAndUser(token);
    expect(resolved?.user.display_name).toBe('Migrated');
    expect(resolved?.session).not.toHaveProperty('device_label');
  });
});
