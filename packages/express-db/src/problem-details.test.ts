import { randomUUID } from 'node:crypto';
import express from 'express';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, StrataError, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { attachDb, getOr404, getTenantId, HttpError, problemDetailsErrorHandler, tenantScope, toProblemResponse, transactionScope } from './index.js';
import { startHttpTestServer, type HttpTestServer } from './testing/http-test-server.js';
import { createTestSchema, type TestDatabaseSchema } from './testing/tenant-test-schema.js';

interface MappingSchema extends TestDatabaseSchema {
  categories: { id: number };
  items: { id: number; category_id: number };
}

const database = useTestDatabase();
let db: StrataDb<MappingSchema>;
let tightDb: StrataDb<MappingSchema>;
let limitedDb: StrataDb<MappingSchema>;
let admin: StrataDb<MappingSchema>;
let running: HttpTestServer;
let running404: HttpTestServer;
const tenant = randomUUID();
const otherTenant = randomUUID();
const limitedRole = `limited_${randomUUID().slice(0, 8)}`;
const serverErrors: unknown[] = [];

function raiseRoutes(app: express.Express): void {
  const raise: Record<string, (trx: Kysely<MappingSchema>, tenantId: string) => Promise<unknown>> = {
    unique: async (trx, tenantId) => {
      await trx.insertInto('projects').values({ tenant_id: tenantId, name: 'twice' }).execute();
      await trx.insertInto('projects').values({ tenant_id: tenantId, name: 'twice' }).execute();
    },
    'foreign-key-missing': (trx) => trx.insertInto('items').values({ id: 1, category_id: 999 }).execute(),
    'foreign-key-in-use': async (trx) => {
      await trx.insertInto('categories').values({ id: 1 }).execute();
      await trx.insertInto('items').values({ id: 1, category_id: 1 }).execute();
      await trx.deleteFrom('categories').where('id', '=', 1).execute();
    },
    check: (trx, tenantId) => trx.insertInto('projects').values({ tenant_id: tenantId, name: 'n'.repeat(101) }).execute(),
    'not-null': (trx, tenantId) => trx.insertInto('projects').values({ tenant_id: tenantId, name: null as unknown as string }).execute(),
    'malformed-uuid': (trx) => trx.selectFrom('projects').selectAll().where('id', '=', "1' or '1'='1").execute(),
    'row-level-security': (trx) => trx.insertInto('projects').values({ tenant_id: otherTenant, name: 'sneaky' }).execute(),
    'statement-timeout': async (trx) => {
      await sql`select set_config('statement_timeout', '100ms', true)`.execute(trx);
      await sql`select pg_sleep(2)`.execute(trx);
    },
    'connection-lost': async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      setTimeout(() => void sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(admin), 150);
      await sql`select pg_sleep(5)`.execute(trx);
    },
    'syntax-error': (trx) => sql.raw("selec 'hunter2-secret' from projects").execute(trx),
    'plain-error': async () => {
      throw new Error('connect to postgres://app:hunter2-secret@db.internal:5432/prod failed');
    },
    'http-error': async () => {
      throw new HttpError(402, 'Upgrade your plan to create more projects', { headers: { 'X-Plan': 'free' } });
    },
    'not-found': (trx) => getOr404(trx, 'projects', randomUUID()),
  };
  app.post('/t/:tenant/raise/:kind', async (req, res) => {
    const work = raise[req.params.kind as string];
    if (!work) throw new HttpError(400, 'unknown kind');
    await work(req.db as Kysely<MappingSchema>, getTenantId(req)!);
    res.json({ ok: true });
  });
  app.post('/plain/raise/:kind', transactionScope(), async (req, res) => {
    await raise[req.params.kind as string]!(req.db as Kysely<MappingSchema>, tenant);
    res.json({ ok: true });
  });
  app.get('/pool-timeout', transactionScope({ db: tightDb }), async (req, res) => {
    res.json(await req.db.selectFrom('categories').selectAll().execute());
  });
  app.get('/too-many-connections', async (_req, res) => {
    res.json(await limitedDb.selectFrom('categories').selectAll().execute());
  });
  app.post('/limited-json', express.json({ limit: '1kb' }), (req, res) => {
    res.json({ received: req.body });
  });
}

beforeAll(async () => {
  await createTestSchema(database.ownerUrl);
  const owner = createDb({ connectionString: database.ownerUrl, max: 1 });
  await sql`create table categories (id int primary key)`.execute(owner);
  await sql`create table items (id int primary key, category_id int not null references categories (id))`.execute(owner);
  await owner.close();
  db = createDb<MappingSchema>({ connectionString: database.appUrl, max: 4 });
  tightDb = createDb<MappingSchema>({ connectionString: database.appUrl, max: 1, connectionTimeoutMillis: 150 });
  admin = createDb<MappingSchema>({ connectionString: database.adminUrl, max: 2 });
  await sql.raw(`create role ${limitedRole} login password 'limited-password' connection limit 0`).execute(admin);
  const limitedUrl = new URL(database.adminUrl);
  limitedUrl.username = limitedRole;
  limitedUrl.password = 'limited-password';
  limitedDb = createDb<MappingSchema>({ connectionString: limitedUrl.toString(), max: 1, onBackgroundError: () => undefined });

  const build = (status: 403 | 404) => {
    const app = express();
    attachDb(app, db);
    app.use('/t/:tenant', tenantScope({ resolveTenant: (req) => req.params.tenant }));
    raiseRoutes(app);
    app.use(problemDetailsErrorHandler({ rowLevelSecurityStatus: status, retryAfterSeconds: 2, onServerError: (error) => serverErrors.push(error) }));
    return app;
  };
  running = await startHttpTestServer(build(403));
  running404 = await startHttpTestServer(build(404));
});

afterAll(async () => {
  await running?.close();
  await running404?.close();
  await db?.close();
  await tightDb?.close();
  await limitedDb?.close();
  await sql.raw(`drop role if exists ${limitedRole}`).execute(admin);
  await admin?.close();
});

async function expectProblem(response: Response, status: number, code: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body).toMatchObject({ type: 'about:blank', status, code });
  expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
  // Never SQL, values, stacks, secrets or the server's address.
  expect(text).not.toMatch(/hunter2|secret|select|insert|delete|violates|constraint|projects_|\bat \/|\.ts:|127\.0\.0\.1|postgres:\/\//i);
  return body;
}

const raise = (kind: string, server: HttpTestServer = running) => fetch(`${server.baseUrl}/t/${tenant}/raise/${kind}`, { method: 'POST' });

describe('problemDetailsErrorHandler: the mapping table, over HTTP with real PostgreSQL errors', () => {
  it.each([
    ['unique', 409, 'unique_violation'],
    ['check', 400, 'invalid_input'],
    ['not-null', 400, 'invalid_input'],
    ['malformed-uuid', 400, 'invalid_input'],
    ['row-level-security', 403, 'row_level_security'],
    ['not-found', 404, 'http_404'],
    ['syntax-error', 500, 'internal_error'],
    ['plain-error', 500, 'internal_error'],
  ])('%s → %i %s', async (kind, status, code) => {
    await expectProblem(await raise(kind), status, code);
  });

  it.each([
    ['foreign-key-missing', 422],
    ['foreign-key-in-use', 409],
  ])('%s → %i foreign_key_violation', async (kind, status) => {
    await expectProblem(await fetch(`${running.baseUrl}/plain/raise/${kind}`, { method: 'POST' }), status, 'foreign_key_violation');
  });

  it('answers 404 for a row-level security refusal when configured to hide existence', async () => {
    await expectProblem(await raise('row-level-security', running404), 404, 'not_found');
  });

  it('answers 400 for a malformed tenant id', async () => {
    await expectProblem(await fetch(`${running.baseUrl}/t/not-a-uuid/raise/unique`, { method: 'POST' }), 400, 'invalid_tenant');
  });

  it.each([
    ['statement-timeout', 'statement_timeout'],
    ['connection-lost', 'database_unavailable'],
  ])('%s → 503 %s with Retry-After', async (kind, code) => {
    const response = await raise(kind);
    expect(response.headers.get('retry-after')).toBe('2');
    await expectProblem(response, 503, code);
  });

  it('pool timeout → 503 pool_timeout with Retry-After', async () => {
    const held = await tightDb.pool.connect();
    try {
      const response = await fetch(`${running.baseUrl}/pool-timeout`);
      expect(response.headers.get('retry-after')).toBe('2');
      await expectProblem(response, 503, 'pool_timeout');
    } finally {
      held.release();
    }
  });

  it('too many connections → 503 too_many_connections with Retry-After', async () => {
    const response = await fetch(`${running.baseUrl}/too-many-connections`);
    expect(response.headers.get('retry-after')).toBe('2');
    await expectProblem(response, 503, 'too_many_connections');
  });

  it('shows HttpError messages and headers as written', async () => {
    const response = await raise('http-error');
    expect(response.headers.get('x-plan')).toBe('free');
    const body = await expectProblem(response, 402, 'http_402');
    expect(body.detail).toBe('Upgrade your plan to create more projects');
  });

  it('maps body-parser errors: oversized body 413, malformed JSON 400', async () => {
    const post = (body: string) => fetch(`${running.baseUrl}/limited-json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await expectProblem(await post(JSON.stringify({ big: 'x'.repeat(5_000) })), 413, 'entity_too_large');
    await expectProblem(await post('{"unterminated": '), 400, 'entity_parse_failed');
  });

  it('reports 5xx errors to onServerError and only those', async () => {
    serverErrors.length = 0;
    await raise('unique');
    await raise('plain-error');
    expect(serverErrors).toHaveLength(1);
    expect((serverErrors[0] as Error).message).toMatch(/hunter2/); // the log gets the real error; the client does not
  });
});

describe('toProblemResponse', () => {
  it('never exposes the message of an unknown error', () => {
    const problem = toProblemResponse(new Error('password=hunter2'));
    expect(problem).toEqual({
      status: 500,
      headers: {},
      body: { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred.', code: 'internal_error' },
    });
  });

  it('translates unknown errors with mapError first', () => {
    class QuotaExceeded extends Error {}
    const options = { mapError: (error: unknown) => (error instanceof QuotaExceeded ? new HttpError(429, 'Quota exceeded') : undefined) };
    expect(toProblemResponse(new QuotaExceeded('internal'), options).body).toMatchObject({ status: 429, detail: 'Quota exceeded' });
    expect(toProblemResponse(new Error('other'), options).status).toBe(500);
  });

  it('builds type URIs from a base', () => {
    const problem = toProblemResponse(new StrataError('x', { code: '23505' }), { typeBaseUri: 'https://errors.example.com/' });
    expect(problem.body.type).toBe('https://errors.example.com/internal_error');
  });

  it('treats 5xx from other middleware as internal errors, and non-exposed 4xx without their message', () => {
    expect(toProblemResponse(Object.assign(new Error('boom'), { status: 502, expose: true })).status).toBe(500);
    const hidden = toProblemResponse(Object.assign(new Error('internal detail'), { status: 400, expose: false }));
    expect(hidden.body.detail).toBe('Bad Request');
  });

  it('keeps raw pg errors at 500 (map them with toStrataError first)', () => {
    const raw = Object.assign(new pg.DatabaseError('duplicate key', 0, 'error'), { code: '23505' });
    expect(toProblemResponse(raw).status).toBe(500);
  });
});
