import { useTestDatabase } from '@strata/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoClient, startDemo, type RunningDemo } from '../demo/demo-harness.js';
import { describeServer } from '../load/server-description.js';
import { scaled } from '../load/suite-scale.js';
import { recordSuiteResult } from '../report/suite-result.js';
import { checkProperty, hostileString } from './hostile-arbitraries.js';

const database = useTestDatabase();
/** What must never reach a client: SQL, driver and stack details, connection strings. */
const internalText =
  /syntax error|violates .* constraint|relation "|column "|sqlstate|duplicate key|invalid input syntax|pg_[a-z]+|at [^ ]+\.(?:js|ts):\d+|postgres:\/\/|select .* from|insert into/i;
let demo: RunningDemo;
let member: DemoClient;
let organizationId: string;

beforeAll(async () => {
  demo = await startDemo(database);
  member = new DemoClient(demo.baseUrl);
  await member.request('POST', '/api/sign-up', { email: 'owner@example.com', password: 'owner password 123' });
  await member.refreshSession();
  organizationId = ((await member.request('POST', '/api/organizations', { name: 'Hostile Test', slug: 'hostile-test' })).body as { id: string }).id;
});

afterAll(async () => {
  await demo?.close();
});

const field = fc.oneof(hostileString, fc.jsonValue({ maxDepth: 2 }), fc.integer(), fc.constant(null));
/** Bodies: the fields the routes read, filled with hostile values; any JSON; or not JSON at all. */
const body = fc.oneof(
  fc.record(
    {
      email: fc.oneof(fc.emailAddress(), field),
      password: field,
      name: field,
      slug: field,
      description: field,
      token: field,
      userId: field,
      role: field,
      organization_id: field,
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ raw: text })),
);
const segment = fc.oneof(fc.uuid().map(String), hostileString).map((value) => encodeURIComponent(value) || 'x');
const route = fc.oneof(
  fc.constant(['POST', '/api/sign-up'] as const),
  fc.constant(['POST', '/api/sign-in'] as const),
  fc.constant(['POST', '/api/password-reset/request'] as const),
  fc.constant(['POST', '/api/password-reset/confirm'] as const),
  fc.constant(['POST', '/api/organizations'] as const),
  fc.constant(['POST', 'ORG/projects'] as const),
  fc.constant(['POST', 'ORG/invitations'] as const),
  fc.constant(['POST', 'ORG/teams'] as const),
  segment.map((id) => ['PATCH', `ORG/projects/${id}`] as const),
  segment.map((id) => ['GET', `ORG/projects/${id}`] as const),
  segment.map((id) => ['DELETE', `ORG/projects/${id}`] as const),
  segment.map((id) => ['POST', `ORG/teams/${id}/members`] as const),
  segment.map((id) => ['POST', `/api/invitations/${id}/accept`] as const),
  segment.map((org) => ['GET', `/api/organizations/${org}/projects`] as const),
  segment.map((org) => ['POST', `/api/organizations/${org}/projects`] as const),
);

describe('hostile HTTP requests to the demo', () => {
  it('every request gets a 2xx or a typed 4xx problem: no 500, no SQL or stack text, the process stays up', async ({ task }) => {
    const started = performance.now();
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let tried = 0;
    await checkProperty(
      fc.asyncProperty(route, body, fc.boolean(), async ([method, template], payload, signedIn) => {
        const before = problems.length;
        tried += 1;
        const path = template.replace(/^ORG/, `/api/organizations/${organizationId}`);
        const client = signedIn ? member : new DemoClient(demo.baseUrl);
        const raw = typeof payload === 'object' && payload !== null && 'raw' in payload ? String((payload as { raw: unknown }).raw) : undefined;
        const response = await client.request(method, path, method === 'GET' ? undefined : (raw ?? payload));
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500) problems.push(`${method} ${path} → ${response.status}: ${response.text.slice(0, 200)}`);
        if (internalText.test(response.text)) problems.push(`${method} ${path} → internal text: ${response.text.slice(0, 200)}`);
        if (response.status >= 400 && !/json/.test(response.headers.get('content-type') ?? '')) {
          problems.push(`${method} ${path} → ${response.status} without a JSON problem body`);
        }
        return problems.length === before;
      }),
      { numRuns: scaled(1_500, 150) },
      problems,
    );
    const alive = (await fetch(`${demo.baseUrl}/health/live`)).status;
    if (alive !== 200) problems.push(`liveness ${alive} after the run`);
    if (demo.serverErrors.length > 0) problems.push(`${demo.serverErrors.length} server errors logged, e.g. ${String(demo.serverErrors[0])}`);

    recordSuiteResult(task, {
      suite: 'Hostile input',
      scenario: 'demo HTTP requests (bodies, path ids, signed in and out)',
      operations: tried,
      concurrency: 1,
      faultsInjected: tried,
      rowsChecked: tried,
      leaksFound: problems.length,
      durationMillis: performance.now() - started,
      notes: `statuses: ${[...statuses].sort(([left], [right]) => left - right).map(([status, count]) => `${status}×${count}`).join(', ')}; no 5xx, no SQL or stack text, app alive`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(problems).toEqual([]);
  });
});
