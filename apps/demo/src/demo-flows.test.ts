import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@strata/testkit';
import { DemoClient, migrateTestDatabase, startDemoTestServer, type DemoTestServer } from './testing/demo-test-server.js';

const database = useTestDatabase();
let demo: DemoTestServer;

beforeAll(async () => {
  await migrateTestDatabase(database);
  demo = await startDemoTestServer(database);
});

afterAll(async () => {
  await demo?.close();
});

function pathOf(link: string): string {
  const url = new URL(link);
  return url.pathname + url.search;
}

describe('accounts', () => {
  it('signs up, verifies the email through the mailed link, signs out and in again', async () => {
    const client = new DemoClient(demo.baseUrl);
    const user = await client.signUp('Dana@Example.com', 'correct horse battery', 'Dana');
    expect(user).toMatchObject({ email: 'Dana@Example.com', name: 'Dana', emailVerified: false });
    const mail = demo.mailer.latest('dana@example.com', 'Verify')!;
    expect(mail.link.startsWith(`${demo.baseUrl}/verify-email?token=`)).toBe(true);

    const verified = await client.request('GET', pathOf(mail.link));
    expect(verified.status).toBe(303);
    expect(verified.headers.get('location')).toBe('/?notice=email-verified');
    expect((await client.request('GET', '/api/session')).body.user.emailVerified).toBe(true);
    // The link is single-use.
    expect((await client.request('GET', pathOf(mail.link))).headers.get('location')).toBe('/?notice=verification-failed');

    expect((await client.request('POST', '/api/sign-out', {})).status).toBe(204);
    expect((await client.request('GET', '/api/session')).status).toBe(401);
    expect(await client.signIn('dana@example.com')).toBe(200);
    expect((await client.request('GET', '/api/session')).body.user.email).toBe('Dana@Example.com');
  });

  it('resets a password with the mailed token, ends every old session, and refuses the token twice', async () => {
    const client = new DemoClient(demo.baseUrl);
    await client.signUp('erin@example.com');
    const anonymous = new DemoClient(demo.baseUrl);
    expect((await anonymous.request('POST', '/api/password-reset/request', { email: 'ERIN@example.com' })).status).toBe(202);
    expect((await anonymous.request('POST', '/api/password-reset/request', { email: 'nobody@example.com' })).status).toBe(202);
    expect(demo.mailer.latest('nobody@example.com', 'Reset')).toBeUndefined();
    const token = new URL(demo.mailer.latest('erin@example.com', 'Reset')!.link).searchParams.get('reset')!;

    expect((await anonymous.request('POST', '/api/password-reset/confirm', { token, password: 'a brand new password' })).status).toBe(204);
    expect((await anonymous.request('POST', '/api/password-reset/confirm', { token, password: 'another new password' })).status).toBe(400);
    expect((await client.request('GET', '/api/session')).status).toBe(401); // the old session was revoked
    expect(await anonymous.signIn('erin@example.com', 'correct horse battery')).toBe(401);
    expect(await anonymous.signIn('erin@example.com', 'a brand new password')).toBe(200);
  });
});

describe('organizations, invitations and teams', () => {
  it('invites by email, accepts after verification, builds a team, and enforces roles', async () => {
    const owner = new DemoClient(demo.baseUrl);
    await owner.signUp('olivia@example.com');
    const organization = (await owner.request('POST', '/api/organizations', { name: 'Initech', slug: 'initech' })).body;
    expect(organization).toMatchObject({ name: 'Initech', slug: 'initech', role: 'owner' });
    const base = `/api/organizations/${organization.id}`;
    expect((await owner.request('POST', `${base}/projects`, { name: 'TPS reports', description: 'covers' })).status).toBe(201);
    expect((await owner.request('POST', `${base}/projects`, { name: 'TPS reports' })).status).toBe(409);

    const invited = await owner.request('POST', `${base}/invitations`, { email: 'Peter@Example.com' });
    expect(invited.status).toBe(201);
    expect((await owner.request('POST', `${base}/invitations`, { email: 'peter@example.com' })).status).toBe(409);
    expect(demo.mailer.latest('peter@example.com', 'invited')).toBeDefined();

    const peter = new DemoClient(demo.baseUrl);
    const peterUser = await peter.signUp('peter@example.com');
    const pending = await peter.request('GET', '/api/invitations');
    expect(pending.body).toEqual([{ id: invited.body.id, role: 'member', organization: 'Initech', expiresAt: expect.any(String) }]);
    expect((await peter.request('POST', `/api/invitations/${invited.body.id}/accept`, {})).status).toBe(403); // verify first
    await peter.request('GET', pathOf(demo.mailer.latest('peter@example.com', 'Verify')!.link));
    await peter.refreshSession();
    expect((await peter.request('POST', `/api/invitations/${invited.body.id}/accept`, {})).body).toEqual({ organizationId: organization.id, role: 'member' });
    expect((await peter.request('POST', `/api/invitations/${invited.body.id}/accept`, {})).status).toBe(409);

    // As a member Peter sees the organization's data but cannot manage it.
    expect((await peter.request('GET', `${base}/projects`)).body.map((project: { name: string }) => project.name)).toEqual(['TPS reports']);
    const projectId = (await peter.request('GET', `${base}/projects`)).body[0].id;
    expect((await peter.request('DELETE', `${base}/projects/${projectId}`)).status).toBe(403);
    expect((await peter.request('POST', `${base}/teams`, { name: 'Nope' })).status).toBe(403);
    expect((await peter.request('PATCH', `${base}/projects/${projectId}`, { description: 'flair' })).body.description).toBe('flair');

    const team = (await owner.request('POST', `${base}/teams`, { name: 'Printers' })).body;
    expect((await owner.request('POST', `${base}/teams/${team.id}/members`, { userId: peterUser.id })).status).toBe(201);
    expect((await owner.request('POST', `${base}/teams/${team.id}/members`, { userId: peterUser.id })).status).toBe(409);
    const stranger = await new DemoClient(demo.baseUrl).signUp('milton@example.com');
    expect((await owner.request('POST', `${base}/teams/${team.id}/members`, { userId: stranger.id })).status).toBe(422);
    expect((await peter.request('GET', `${base}/teams`)).body).toEqual([{ id: team.id, name: 'Printers', members: [{ userId: peterUser.id, email: 'peter@example.com' }] }]);
    const members = (await peter.request('GET', `${base}/members`)).body.map((member: { email: string; role: string }) => `${member.email}:${member.role}`);
    expect(members.sort()).toEqual(['olivia@example.com:owner', 'peter@example.com:member']);

    expect((await owner.request('DELETE', `${base}/projects/${projectId}`)).status).toBe(204);
    expect((await owner.request('GET', `${base}/projects/${projectId}`)).status).toBe(404);
  });
});

describe('rate limiting and health', () => {
  it('limits sign-in attempts per client with a 429 problem', async () => {
    const limited = await startDemoTestServer(database, { rateLimits: { windowMillis: 60_000, signIn: 3, passwordReset: 2 } });
    try {
      const client = new DemoClient(limited.baseUrl);
      const statuses = [];
      for (let attempt = 0; attempt < 5; attempt += 1) statuses.push(await client.signIn('nobody@example.com', 'wrong password'));
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const reset = [];
      for (let attempt = 0; attempt < 3; attempt += 1) reset.push((await client.request('POST', '/api/password-reset/request', { email: 'x@example.com' })).status);
      expect(reset).toEqual([202, 202, 429]);
      const blocked = await client.request('POST', '/api/sign-in', { email: 'a@example.com', password: 'x' });
      expect(blocked.headers.get('retry-after')).toBe('60');
      expect(blocked.body).toMatchObject({ status: 429, code: 'http_429' });
    } finally {
      await limited.close();
    }
  });

  it('is ready once migrated, and live', async () => {
    const ready = await fetch(`${demo.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { migrations: { state: 'up_to_date' } } });
    expect((await fetch(`${demo.baseUrl}/health/live`)).status).toBe(200);
  });

  it('serves the page with a strict content security policy', async () => {
    const page = await fetch(`${demo.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Strata demo</title>');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
