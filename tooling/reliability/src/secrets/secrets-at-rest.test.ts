import { createAuthAdapter, hashToken, oauthStateColumns } from '@strata/auth-schema';
import { useTestDatabase } from '@strata/testkit';
import { createDb, type StrataDb } from '@strata/db-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoClient, pathOf, startDemo, type RunningDemo } from '../demo/demo-harness.js';
import { describeServer } from '../load/server-description.js';
import { recordSuiteResult } from '../report/suite-result.js';
import { dumpDatabase } from './database-dump.js';
import { secretForms } from './secret-forms.js';

const database = useTestDatabase();
let demo: RunningDemo;

beforeAll(async () => {
  demo = await startDemo(database);
  // The demo has no OAuth sign-in; its OAuth state table comes from auth-schema's columns.
  const owner = createDb({ connectionString: database.directOwnerUrl, max: 1 });
  await owner.schema
    .createTable('oauth_states')
    .addColumn('id', 'uuid', (column) => column.primaryKey().defaultTo(owner.fn('gen_random_uuid')))
    .$call((table) => oauthStateColumns(table, { users: 'users' }))
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(owner.fn('now')))
    .execute();
  await owner.close();
});

afterAll(async () => {
  await demo?.close();
});

describe('secrets at rest', () => {
  it('after sign-up, sign-in, verification, reset, invitation and an OAuth state, a full dump holds no raw token and no password', async ({ task }) => {
    const started = performance.now();
    const secrets = new Map<string, string>();
    const problems: string[] = [];
    const expectStatus = (what: string, status: number, expected: number) => {
      if (status !== expected) problems.push(`${what}: HTTP ${status}, expected ${expected}`);
    };

    // Ada: sign up, verify, sign out and in, reset her password, sign in again.
    const ada = new DemoClient(demo.baseUrl);
    const adaPassword = 'Ada plaintext password 1!';
    expectStatus('sign-up', (await ada.request('POST', '/api/sign-up', { email: 'ada@example.com', password: adaPassword })).status, 201);
    secrets.set('session token (sign-up)', ada.sessionToken);
    secrets.set('password (sign-up)', adaPassword);
    await ada.refreshSession();
    const verification = demo.mailer.latest('ada@example.com', 'Verify')!;
    secrets.set('email verification token', new URL(verification.link).searchParams.get('token')!);
    expectStatus('verify', (await ada.request('GET', pathOf(verification.link))).status, 303);
    expectStatus('sign-out', (await ada.request('POST', '/api/sign-out', {})).status, 204);
    expectStatus('sign-in', (await ada.request('POST', '/api/sign-in', { email: 'ada@example.com', password: adaPassword })).status, 200);
    secrets.set('session token (sign-in)', ada.sessionToken);
    await ada.refreshSession();
    expectStatus('reset request', (await ada.request('POST', '/api/password-reset/request', { email: 'ada@example.com' })).status, 202);
    const reset = demo.mailer.latest('ada@example.com', 'Reset')!;
    const resetToken = new URL(reset.link).searchParams.get('reset')!;
    secrets.set('password reset token (used)', resetToken);
    const newPassword = 'Ada new plaintext password 2!';
    secrets.set('password (after reset)', newPassword);
    expectStatus('reset confirm', (await ada.request('POST', '/api/password-reset/confirm', { token: resetToken, password: newPassword })).status, 204);
    expectStatus('sign-in after reset', (await ada.request('POST', '/api/sign-in', { email: 'ada@example.com', password: newPassword })).status, 200);
    secrets.set('session token (after reset, live)', ada.sessionToken);
    await ada.refreshSession();
    secrets.set('CSRF token', ada.csrfToken);
    // A second reset left pending: an unused token must be hashed too.
    expectStatus('pending reset', (await ada.request('POST', '/api/password-reset/request', { email: 'ada@example.com' })).status, 202);
    secrets.set('password reset token (pending)', new URL(demo.mailer.latest('ada@example.com', 'Reset')!.link).searchParams.get('reset')!);

    // An organization and an invitation; Grace signs up (verification left pending) and is invited.
    const organization = (await ada.request('POST', '/api/organizations', { name: 'Analytical Engines', slug: 'engines' })).body as { id: string };
    expectStatus('invite', (await ada.request('POST', `/api/organizations/${organization.id}/invitations`, { email: 'grace@example.com' })).status, 201);
    const grace = new DemoClient(demo.baseUrl);
    const gracePassword = 'Grace plaintext password 3!';
    expectStatus('grace sign-up', (await grace.request('POST', '/api/sign-up', { email: 'grace@example.com', password: gracePassword })).status, 201);
    secrets.set('session token (second user)', grace.sessionToken);
    secrets.set('password (second user)', gracePassword);
    secrets.set('email verification token (pending)', new URL(demo.mailer.latest('grace@example.com', 'Verify')!.link).searchParams.get('token')!);
    for (const message of demo.mailer.messages) {
      for (const value of new URL(message.link).searchParams.values()) if (value.length >= 20) secrets.set(`token in mail "${message.subject}" (${secrets.size})`, value);
    }

    // An OAuth state through auth-schema's adapter on the same database.
    const auth = createAuthAdapter({ db: demo.db as StrataDb<any>, tables: { oauthStates: 'oauth_states' } });
    const { state } = await auth.createOAuthState({ code_verifier: null, redirect_url: '/after-oauth' } as never);
    secrets.set('OAuth state token', state);

    const dump = await dumpDatabase(database.adminUrl);
    const found: string[] = [];
    for (const [name, secret] of secrets) {
      if (!secret) problems.push(`${name} was not captured`);
      else if (secretForms(secret).some((form) => dump.text.includes(form))) found.push(name);
    }
    // Positive control: the live session's HASH is in the dump, so the dump did cover the table.
    const liveHash = hashToken(secrets.get('session token (after reset, live)')!).toString('hex');
    if (!dump.text.includes(liveHash)) problems.push('the dump does not contain the live session hash: it did not cover the sessions table');
    if (demo.serverErrors.length > 0) problems.push(`${demo.serverErrors.length} server errors`);

    recordSuiteResult(task, {
      suite: 'Secrets at rest',
      scenario: 'demo session: sign-up, sign-in, verification, reset, invitation, OAuth state',
      operations: 16,
      concurrency: 1,
      faultsInjected: 0,
      rowsChecked: dump.rows,
      leaksFound: found.length + problems.length,
      durationMillis: performance.now() - started,
      notes:
        `${secrets.size} secrets (session, verification, reset, CSRF and OAuth state tokens, 3 passwords) searched raw, as hex and as base64 ` +
        `in ${dump.tables} tables / ${dump.rows} rows (${dump.methods.join(' + ')}): none found; the live session's hash was found (control)`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(problems).toEqual([]);
    expect(found).toEqual([]);
  });
});
