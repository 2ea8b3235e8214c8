import { createHash } from 'node:crypto';
import { createDb, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthAdapter } from '../adapter/auth-adapter.js';
import { testTableNames, type TestDatabase } from '../testing/kysely-test-schema.js';
import { adminQuery, createTestSchema } from '../testing/test-schema-setup.js';
import { createAuthJsAdapter } from './authjs-adapter.js';

const database = useTestDatabase();
let db: StrataDb<TestDatabase>;
let authjs: ReturnType<typeof createAuthJsAdapter<any, any>>;

beforeAll(async () => {
  await createTestSchema(database, 'kysely');
  db = createDb<TestDatabase>({ connectionString: database.appUrl, max: 30 });
  authjs = createAuthJsAdapter(createAuthAdapter({ db, tables: testTableNames }));
});

afterAll(async () => {
  await db?.close();
});

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe('Auth.js adapter', () => {
  it('creates users with a database id and returns null for unknown ids', async () => {
    const user = await authjs.createUser({ id: 'provider-123', email: 'ada@example.com', emailVerified: null, name: 'Ada', image: null });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user).toMatchObject({ email: 'ada@example.com', emailVerified: null, name: 'Ada', image: null });
    expect(user).not.toHaveProperty('password_hash');
    expect(await authjs.getUser(crypto.randomUUID())).toBeNull();
    expect(await authjs.getUser('provider-123')).toBeNull();
    expect(await authjs.getUserByEmail('nobody@example.com')).toBeNull();
    expect(await authjs.getUserByAccount({ provider: 'github', providerAccountId: 'none' })).toBeNull();
    expect(await authjs.getAccount('none', 'github')).toBeNull();
    expect(await authjs.getSessionAndUser('no-such-session')).toBeNull();
    expect(await authjs.updateSession({ sessionToken: 'no-such-session', expires: inAnHour() })).toBeNull();
    expect(await authjs.deleteUser(crypto.randomUUID())).toBeNull();
    const verified = await authjs.updateUser({ id: user.id, emailVerified: new Date('2024-01-01T00:00:00Z') });
    expect(verified.emailVerified?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('links and unlinks accounts, keeping token expiry in seconds', async () => {
    const user = await authjs.createUser({ id: 'x', email: 'linker@example.com', emailVerified: null });
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    await authjs.linkAccount({
      userId: user.id,
      type: 'oidc',
      provider: 'google',
      providerAccountId: 'G-1',
      access_token: 'at',
      expires_at: expiresAt,
      token_type: 'bearer',
      scope: 'openid email',
      id_token: 'it',
      session_state: 'ignored',
    });
    expect(await authjs.getAccount('g-1', 'GOOGLE')).toMatchObject({
      userId: user.id,
      type: 'oidc',
      provider: 'google',
      providerAccountId: 'G-1',
      access_token: 'at',
      expires_at: expiresAt,
    });
    expect((await authjs.getUserByAccount({ provider: 'google', providerAccountId: 'G-1' }))?.id).toBe(user.id);
    await authjs.unlinkAccount({ provider: 'google', providerAccountId: 'G-1' });
    expect(await authjs.getAccount('G-1', 'google')).toBeNull();
  });

  it('hashes the raw session token Auth.js hands over before storing or looking it up', async () => {
    const user = await authjs.createUser({ id: 'x', email: 'sessions@example.com', emailVerified: null });
    const sessionToken = crypto.randomUUID(); // what Auth.js' default generateSessionToken makes
    const expires = inAnHour();
    expect(await authjs.createSession({ sessionToken, userId: user.id, expires })).toEqual({ sessionToken, userId: user.id, expires });
    const rows = await adminQuery<{ line: string }>(database, `select s::text as line from sessions s`);
    expect(rows.some((row) => row.line.includes(sessionToken))).toBe(false);
    const [hashed] = await adminQuery<{ count: string }>(database, `select count(*) from sessions where token_hash = $1`, [
      createHash('sha256').update(sessionToken).digest(),
    ]);
    expect(hashed!.count).toBe('1');
    const resolved = await authjs.getSessionAndUser(sessionToken);
    expect(resolved?.session).toEqual({ sessionToken, userId: user.id, expires });
    expect(resolved?.user.id).toBe(user.id);
    const later = new Date(Date.now() + 7_200_000);
    expect(await authjs.updateSession({ sessionToken, expires: later })).toEqual({ sessionToken, userId: user.id, expires: later });
    await authjs.deleteSession(sessionToken);
    expect(await authjs.getSessionAndUser(sessionToken)).toBeNull();
    await authjs.createSession({ sessionToken: 'expired', userId: user.id, expires: new Date(Date.now() - 1) });
    expect(await authjs.getSessionAndUser('expired')).toBeNull();
  });

  it('uses a verification token once, even concurrently, and never after expiry', async () => {
    const expires = inAnHour();
    const token = createHash('sha256').update('magic-link-secret').digest('hex');
    expect(await authjs.createVerificationToken({ identifier: 'magic@example.com', token, expires })).toEqual({
      identifier: 'magic@example.com',
      token,
      expires,
    });
    expect(await authjs.useVerificationToken({ identifier: 'other@example.com', token })).toBeNull();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => authjs.useVerificationToken({ identifier: 'magic@example.com', token })),
    );
    const winners = results.filter((result) => result !== null);
    expect(winners).toEqual([{ identifier: 'magic@example.com', token, expires }]);
    await authjs.createVerificationToken({ identifier: 'magic@example.com', token: 'old', expires: new Date(Date.now() - 1) });
    expect(await authjs.useVerificationToken({ identifier: 'magic@example.com', token: 'old' })).toBeNull();
    const rows = await adminQuery<{ line: string }>(database, `select v::text as line from verification_tokens v`);
    expect(rows.some((row) => row.line.includes(token))).toBe(false);
  });

  it('deleting a user removes their sessions and accounts', async () => {
    const user = await authjs.createUser({ id: 'x', email: 'leaving@example.com', emailVerified: null });
    await authjs.linkAccount({ userId: user.id, type: 'oauth', provider: 'github', providerAccountId: 'leaving' });
    await authjs.createSession({ sessionToken: 'leaving-session', userId: user.id, expires: inAnHour() });
    expect((await authjs.deleteUser(user.id))?.id).toBe(user.id);
    expect(await authjs.getUser(user.id)).toBeNull();
    expect(await authjs.getSessionAndUser('leaving-session')).toBeNull();
    expect(await authjs.getAccount('leaving', 'github')).toBeNull();
    const [left] = await adminQuery<{ count: string }>(
      database,
      `select (select count(*) from sessions where user_id = $1) + (select count(*) from accounts where user_id = $1) as count`,
      [user.id],
    );
    expect(left!.count).toBe('0');
  });
});
