import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { TenantIsolationRefusal, verifyTenantIsolation } from './database/isolation-guard.js';
import { DemoClient, migrateTestDatabase, startDemoTestServer, type DemoTestServer } from './testing/demo-test-server.js';

const database = useTestDatabase();
let demo: DemoTestServer;
let aliceClient: DemoClient;
let bobClient: DemoClient;
let orgA: string;
let orgB: string;
let bobProject: string;
let bobTeam: string;
let bobId: string;

beforeAll(async () => {
  await migrateTestDatabase(database);
  demo = await startDemoTestServer(database);
  aliceClient = new DemoClient(demo.baseUrl);
  bobClient = new DemoClient(demo.baseUrl);
  await aliceClient.signUp('alice@example.com');
  bobId = (await bobClient.signUp('bob@example.com')).id;
  orgA = (await aliceClient.request('POST', '/api/organizations', { name: 'Acme', slug: 'acme' })).body.id;
  orgB = (await bobClient.request('POST', '/api/organizations', { name: 'Globex', slug: 'globex' })).body.id;
  for (const name of ['Rocket', 'Anvil']) await aliceClient.request('POST', `/api/organizations/${orgA}/projects`, { name });
  bobProject = (await bobClient.request('POST', `/api/organizations/${orgB}/projects`, { name: 'Hammock', description: 'secret plans' })).body.id;
  bobTeam = (await bobClient.request('POST', `/api/organizations/${orgB}/teams`, { name: 'Ops' })).body.id;
});

afterAll(async () => {
  await demo?.close();
});

describe('cross-organization access', () => {
  it.each([
    ['GET', () => `/api/organizations/${orgB}/projects`],
    ['GET', () => `/api/organizations/${orgB}/projects-without-where`],
    ['GET', () => `/api/organizations/${orgB}/members`],
    ['GET', () => `/api/organizations/${orgB}/teams`],
    ['GET', () => `/api/organizations/${orgB}/invitations`],
    ['POST', () => `/api/organizations/${orgB}/projects`],
    ['POST', () => `/api/organizations/${orgB}/invitations`],
    ['GET', () => `/api/organizations/${orgB}/projects/${bobProject}`],
    ['DELETE', () => `/api/organizations/${orgB}/projects/${bobProject}`],
    // Through Alice's own organization, naming Bob's rows: RLS hides them.
    ['GET', () => `/api/organizations/${orgA}/projects/${bobProject}`],
    ['PATCH', () => `/api/organizations/${orgA}/projects/${bobProject}`],
    ['DELETE', () => `/api/organizations/${orgA}/projects/${bobProject}`],
    ['POST', () => `/api/organizations/${orgA}/teams/${bobTeam}/members`],
  ])('%s %s → 404 for a non-member', async (method, path) => {
    const body = method === 'GET' || method === 'DELETE' ? undefined : { name: 'Intruder', email: 'x@example.com', userId: bobId };
    const response = await aliceClient.request(method, path(), body);
    expect(response.status).toBe(404);
    expect(JSON.stringify(response.body)).not.toMatch(/Hammock|secret plans|Globex|Ops/);
  });

  it('leaves the other organization untouched after all of that', async () => {
    const projects = await bobClient.request('GET', `/api/organizations/${orgB}/projects`);
    expect(projects.body.map((project: { name: string }) => project.name)).toEqual(['Hammock']);
    const teams = await bobClient.request('GET', `/api/organizations/${orgB}/teams`);
    expect(teams.body).toEqual([{ id: bobTeam, name: 'Ops', members: [] }]);
  });

  it('ignores an organization_id smuggled into a body: the row lands in the caller organization', async () => {
    const created = await aliceClient.request('POST', `/api/organizations/${orgA}/projects`, { name: 'Smuggled', organization_id: orgB });
    expect(created.status).toBe(201);
    const admin = createDb({ connectionString: database.adminUrl, max: 1 });
    const { rows } = await sql<{ organization_id: string }>`select organization_id from projects where name = 'Smuggled'`.execute(admin);
    await admin.close();
    expect(rows).toEqual([{ organization_id: orgA }]);
  });

  it('returns only the caller rows from the route whose tenant WHERE clause was removed', async () => {
    const response = await aliceClient.request('GET', `/api/organizations/${orgA}/projects-without-where`);
    expect(response.status).toBe(200);
    const names = response.body.map((project: { name: string }) => project.name).sort();
    expect(names).toEqual(['Anvil', 'Rocket', 'Smuggled']);
    // The same query as a superuser sees everybody's rows: RLS, not luck, did the filtering.
    const admin = createDb({ connectionString: database.adminUrl, max: 1 });
    const { rows } = await sql<{ count: string }>`select count(*) from projects`.execute(admin);
    await admin.close();
    expect(Number(rows[0]!.count)).toBe(4);
  });

  it('does not let another user accept an invitation addressed to someone else', async () => {
    const invitation = await bobClient.request('POST', `/api/organizations/${orgB}/invitations`, { email: 'carol@example.com' });
    expect(invitation.status).toBe(201);
    // Alice verifies her email to pass the first gate, then tries Carol's invitation.
    const link = demo.mailer.latest('alice@example.com', 'Verify')!.link;
    await aliceClient.request('GET', new URL(link).pathname + new URL(link).search);
    await aliceClient.refreshSession();
    const accepted = await aliceClient.request('POST', `/api/invitations/${invitation.body.id}/accept`, {});
    expect(accepted.status).toBe(403);
    const rejected = await aliceClient.request('POST', `/api/invitations/${invitation.body.id}/reject`, {});
    expect(rejected.status).toBe(404);
    expect((await aliceClient.request('GET', '/api/organizations')).body.map((organization: { slug: string }) => organization.slug)).toEqual(['acme']);
  });
});

describe('authentication and CSRF', () => {
  it('answers 401 without a session, and ignores a forged cookie', async () => {
    const anonymous = new DemoClient(demo.baseUrl);
    expect((await anonymous.request('GET', '/api/organizations')).status).toBe(401);
    expect((await anonymous.request('GET', `/api/organizations/${orgA}/projects`)).status).toBe(401);
    const forged = await anonymous.request('GET', '/api/session', undefined, { cookie: 'strata_demo_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(forged.status).toBe(401);
  });

  it('refuses cookie-authenticated writes without the CSRF token, or cross-site', async () => {
    const path = `/api/organizations/${orgA}/projects`;
    expect((await aliceClient.request('POST', path, { name: 'No token' }, { 'x-csrf-token': '' })).status).toBe(403);
    expect((await aliceClient.request('POST', path, { name: 'Wrong token' }, { 'x-csrf-token': bobClient.csrfToken })).status).toBe(403);
    expect((await aliceClient.request('POST', path, { name: 'Cross site' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await aliceClient.request('POST', path, { name: 'Other origin' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await aliceClient.request('POST', path, 'name=form-post', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const names = (await aliceClient.request('GET', path)).body.map((project: { name: string }) => project.name);
    expect(names).not.toEqual(expect.arrayContaining(['No token', 'Wrong token', 'Cross site', 'Other origin']));
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/', async () => {
    const response = await fetch(`${demo.baseUrl}/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bob@example.com', password: 'correct horse battery' }),
    });
    const cookie = response.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^strata_demo_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
  });
});

describe('hostile and malformed input gets 4xx, never 500', () => {
  const deeplyNested = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
  it.each([
    ['oversized body', 'POST', 'projects', JSON.stringify({ name: 'x'.repeat(20_000) }), 413],
    ['malformed JSON', 'POST', 'projects', '{"name": ', 400],
    ['a JSON array', 'POST', 'projects', '[1,2,3]', 400],
    ['a JSON string', 'POST', 'projects', '"just a string"', 400],
    ['deeply nested JSON', 'POST', 'projects', deeplyNested, 400],
    ['a number as name', 'POST', 'projects', JSON.stringify({ name: 42 }), 400],
    ['an object as name', 'POST', 'projects', JSON.stringify({ name: { $gt: '' } }), 400],
    ['a NUL byte in the name', 'POST', 'projects', JSON.stringify({ name: 'nul\u0000byte' }), 400],
    ['an empty name', 'POST', 'projects', JSON.stringify({ name: '   ' }), 400],
    ['a too long name', 'POST', 'projects', JSON.stringify({ name: 'n'.repeat(500) }), 400],
    ['a malformed project id', 'GET', "projects/1' or '1'='1", undefined, 400],
    ['a malformed project id in a PATCH', 'PATCH', 'projects/not-a-uuid', JSON.stringify({ name: 'x' }), 400],
    ['an empty PATCH', 'PATCH', 'projects/00000000-0000-4000-8000-000000000000', '{}', 400],
    ['an unknown team', 'POST', 'teams/00000000-0000-4000-8000-000000000000/members', JSON.stringify({ userId: '00000000-0000-4000-8000-000000000000' }), 404],
    ['a malformed user id for a team', 'POST', 'teams/00000000-0000-4000-8000-000000000000/members', JSON.stringify({ userId: "'; drop table users; --" }), 400],
    ['an invalid invitation email', 'POST', 'invitations', JSON.stringify({ email: 'not-an-email' }), 400],
    ['an unknown invitation role', 'POST', 'invitations', JSON.stringify({ email: 'dave@example.com', role: 'owner' }), 400],
    ['an unknown API route', 'GET', 'nothing-here', undefined, 404],
  ])('%s → %i', async (_label, method, path, body, status) => {
    const response = await aliceClient.request(method, `/api/organizations/${orgA}/${path}`, body);
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it.each([
    ['a malformed organization id', "/api/organizations/1%20or%201=1/projects"],
    ['an organization id with a quote', "/api/organizations/'%3Bselect%201--/projects"],
  ])('%s → 400', async (_label, path) => {
    expect((await aliceClient.request('GET', path)).status).toBe(400);
  });

  it('stores injection strings as plain text', async () => {
    const name = "Robert'); DROP TABLE projects;--";
    const created = await aliceClient.request('POST', `/api/organizations/${orgA}/projects`, { name, description: '<script>alert(1)</script>' });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(name);
    expect((await aliceClient.request('GET', `/api/organizations/${orgA}/projects/${created.body.id}`)).body.description).toBe('<script>alert(1)</script>');
  });

  it('ignores __proto__ keys', async () => {
    const response = await aliceClient.request('POST', `/api/organizations/${orgA}/projects`, '{"name":"Proto","__proto__":{"polluted":true}}');
    expect(response.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['sign-up with a bad email', '/api/sign-up', { email: 'nope', password: 'long enough password' }, 400],
    ['sign-up with a short password', '/api/sign-up', { email: 'erin@example.com', password: 'short' }, 400],
    ['sign-up with an existing email (any case)', '/api/sign-up', { email: 'ALICE@example.com', password: 'long enough password' }, 409],
    ['sign-in with a wrong password', '/api/sign-in', { email: 'alice@example.com', password: 'wrong password' }, 401],
    ['sign-in with an unknown email', '/api/sign-in', { email: 'nobody@example.com', password: 'whatever it is' }, 401],
    ['sign-in with a type confusion', '/api/sign-in', { email: ['alice@example.com'], password: true }, 400],
    ['reset confirm with a forged token', '/api/password-reset/confirm', { token: 'A'.repeat(43), password: 'new long password' }, 400],
    ['reset confirm with a malformed token', '/api/password-reset/confirm', { token: "' or 1=1 --", password: 'new long password' }, 400],
    ['an organization with a bad slug', '/api/organizations', { name: 'Bad', slug: 'Not A Slug!' }, 400],
    ['an organization with a taken slug (any case)', '/api/organizations', { name: 'Again', slug: 'GLOBEX' }, 409],
    ['accepting a malformed invitation id', '/api/invitations/abc/accept', {}, 400],
  ])('%s → %i', async (_label, path, body, status) => {
    const client = path.startsWith('/api/sign') || path.startsWith('/api/password') ? new DemoClient(demo.baseUrl) : aliceClient;
    const response = await client.request('POST', path, body);
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
  });
});

describe('startup isolation check', () => {
  it('refuses a connection for which RLS would not apply (the table owner)', async () => {
    const owner = createDb({ connectionString: database.ownerUrl, max: 1 });
    try {
      const refusal = await verifyTenantIsolation(owner).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(TenantIsolationRefusal);
      expect((refusal as TenantIsolationRefusal).report.problems.map((problem) => problem.kind)).toContain('owns-tenant-table');
    } finally {
      await owner.close();
    }
  });

  it('accepts the app role', async () => {
    const report = await verifyTenantIsolation(demo.db);
    expect(report.tenantTables).toEqual(['public.projects', 'public.team_members', 'public.teams']);
  });
});
