import { createDb, type StrataDb } from '@strata/db-core';
import { createTestDatabase, type TestDatabase as HarnessDatabase } from '@strata/testkit';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createAuthAdapter } from './adapter/auth-adapter.js';
import { createTeamAdapter } from './adapter/team-adapter.js';
import { createAuthJsAdapter } from './authjs/authjs-adapter.js';
import { drizzleAuthTables } from './drizzle/drizzle-table-codec.js';
import { drizzleTestSchema } from './testing/drizzle-test-schema.js';
import { testTableNames, type TestDatabase } from './testing/kysely-test-schema.js';
import { createTestSchema } from './testing/test-schema-setup.js';

/*
 * The app's custom `display_name` column (and custom session / organization columns)
 * through every adapter method that returns a user, in both dialects: Kysely (SQL names,
 * types from the Database interface) and Drizzle (field names and types from pgTable).
 */

const databases: HarnessDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((database) => database.drop()));
});

async function openDatabase(dialect: 'kysely' | 'drizzle'): Promise<StrataDb<TestDatabase>> {
  const database = await createTestDatabase();
  databases.push(database);
  await createTestSchema(database, dialect);
  return createDb<TestDatabase>({ connectionString: database.appUrl, max: 5 });
}

describe('Kysely dialect: display_name round-trips, typed', () => {
  let db: StrataDb<TestDatabase>;
  beforeAll(async () => {
    db = await openDatabase('kysely');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('through every method that returns a user', async () => {
    const auth = createAuthAdapter({ db, tables: testTableNames });
    const orgs = createTeamAdapter({ db, tables: testTableNames });
    const authjs = createAuthJsAdapter(auth);

    const created = await auth.createUser({ email: 'kysely@example.com', display_name: 'Kay' });
    expectTypeOf(created.display_name).toEqualTypeOf<string | null>();
    const seen: (string | null | undefined)[] = [created.display_name];
    seen.push((await auth.getUserById(created.id))?.display_name);
    seen.push((await auth.getUserByEmail('KYSELY@example.com'))?.display_name);
    await auth.linkAccount({ user_id: created.id, provider: 'github', provider_account_id: 'k-1' });
    seen.push((await auth.getUserByAccount('github', 'k-1'))?.display_name);
    const { token } = await auth.createSession({ user_id: created.id, device_label: 'kiosk' });
    const resolved = await auth.getSessionAndUser(token);
    expectTypeOf(resolved!.session.device_label).toEqualTypeOf<string | null>();
    expect(resolved?.session.device_label).toBe('kiosk');
    seen.push(resolved?.user.display_name);
    const { organization } = await orgs.createOrganization({ name: 'K', slug: 'k', plan: 'pro' }, { ownerId: created.id });
    expectTypeOf(organization.plan).toEqualTypeOf<string>();
    seen.push((await orgs.listMembers(organization.id))[0]?.user.display_name);
    const team = await orgs.createTeam({ organization_id: organization.id, name: 'T' });
    await orgs.addTeamMember({ team_id: team.id, user_id: created.id });
    seen.push((await orgs.listTeamMembers(team.id))[0]?.user.display_name);
    const authjsUser = await authjs.getUser(created.id);
    expectTypeOf(authjsUser!.display_name).toEqualTypeOf<string | null>();
    seen.push(authjsUser?.display_name);
    seen.push((await authjs.getUserByEmail(created.email))?.display_name);
    seen.push((await authjs.getUserByAccount({ provider: 'github', providerAccountId: 'k-1' }))?.display_name);
    await authjs.createSession({ sessionToken: 'authjs-session-k', userId: created.id, expires: new Date(Date.now() + 60_000) });
    seen.push((await authjs.getSessionAndUser('authjs-session-k'))?.user.display_name);
    expect(seen).toEqual(Array(seen.length).fill('Kay'));

    const updated = await auth.updateUser(created.id, { display_name: 'Kay 2' });
    expect(updated.display_name).toBe('Kay 2');
    expect((await authjs.updateUser({ id: created.id, display_name: 'Kay 3' })).display_name).toBe('Kay 3');
    const viaAuthJs = await authjs.createUser({
      id: 'ignored',
      email: 'authjs-k@example.com',
      emailVerified: null,
      display_name: 'From profile',
      unknown_profile_field: 'dropped',
    } as Parameters<typeof authjs.createUser>[0]);
    expect(viaAuthJs.display_name).toBe('From profile');
    expect((await authjs.deleteUser(viaAuthJs.id))?.display_name).toBe('From profile');
  });
});

describe('Drizzle dialect: displayName round-trips, typed', () => {
  let db: StrataDb<TestDatabase>;
  beforeAll(async () => {
    db = await openDatabase('drizzle');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('through every method that returns a user', async () => {
    const tables = drizzleAuthTables(drizzleTestSchema);
    const auth = createAuthAdapter({ db, tables });
    const orgs = createTeamAdapter({ db, tables });
    const authjs = createAuthJsAdapter(auth);

    const created = await auth.createUser({ email: 'drizzle@example.com', displayName: 'Dee' });
    expectTypeOf(created.displayName).toEqualTypeOf<string | null>();
    expectTypeOf(created.emailVerifiedAt).toEqualTypeOf<Date | null>();
    expect(created.scopes).toEqual([]);
    expect(created.createdAt).toBeInstanceOf(Date);
    const seen: (string | null | undefined)[] = [created.displayName];
    seen.push((await auth.getUserById(created.id))?.displayName);
    seen.push((await auth.getUserByEmail('DRIZZLE@example.com'))?.displayName);
    const account = await auth.linkAccount({ userId: created.id, provider: 'github', providerAccountId: 'd-1' });
    expect(account.providerAccountId).toBe('d-1');
    seen.push((await auth.getUserByAccount('github', 'd-1'))?.displayName);
    const { token, session } = await auth.createSession({ userId: created.id, deviceLabel: 'desk' });
    expect(session.tokenHash).toBeInstanceOf(Buffer);
    const resolved = await auth.getSessionAndUser(token);
    expectTypeOf(resolved!.session.deviceLabel).toEqualTypeOf<string | null>();
    expect(resolved?.session.deviceLabel).toBe('desk');
    seen.push(resolved?.user.displayName);
    const { organization, member } = await orgs.createOrganization(
      { name: 'D', slug: 'd', plan: 'pro', metadata: ['json', 'array'] },
      { ownerId: created.id },
    );
    expect(organization.metadata).toEqual(['json', 'array']);
    expect(member.organizationId).toBe(organization.id);
    seen.push((await orgs.listMembers(organization.id))[0]?.user.displayName);
    const team = await orgs.createTeam({ organizationId: organization.id, name: 'T' });
    await orgs.addTeamMember({ teamId: team.id, userId: created.id });
    seen.push((await orgs.listTeamMembers(team.id))[0]?.user.displayName);
    const invitation = await orgs.createInvitation({ organizationId: organization.id, email: 'guest@example.com', teamId: team.id });
    expect(invitation.status).toBe('pending');
    const authjsUser = await authjs.getUser(created.id);
    expectTypeOf(authjsUser!.displayName).toEqualTypeOf<string | null>();
    seen.push(authjsUser?.displayName);
    seen.push((await authjs.getUserByEmail(created.email))?.displayName);
    seen.push((await authjs.getUserByAccount({ provider: 'github', providerAccountId: 'd-1' }))?.displayName);
    await authjs.createSession({ sessionToken: 'authjs-session-d', userId: created.id, expires: new Date(Date.now() + 60_000) });
    seen.push((await authjs.getSessionAndUser('authjs-session-d'))?.user.displayName);
    expect(seen).toEqual(Array(seen.length).fill('Dee'));

    expect((await auth.updateUser(created.id, { displayName: 'Dee 2' })).displayName).toBe('Dee 2');
    expect((await authjs.updateUser({ id: created.id, displayName: 'Dee 3' })).displayName).toBe('Dee 3');
    const viaAuthJs = await authjs.createUser({
      id: 'ignored',
      email: 'authjs-d@example.com',
      emailVerified: new Date(),
      displayName: 'From profile',
    } as Parameters<typeof authjs.createUser>[0]);
    expect(viaAuthJs.displayName).toBe('From profile');
    expect(viaAuthJs.emailVerified).toBeInstanceOf(Date);
    await expect(auth.createUser({ email: 'x@example.com', notAColumn: 1 } as never)).rejects.toMatchObject({
      code: 'STRATA_AUTH_INVALID_INPUT',
    });
  });
});
