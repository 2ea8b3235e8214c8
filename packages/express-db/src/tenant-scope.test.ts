import { randomUUID } from 'node:crypto';
import http from 'node:http';
import express, { type Express } from 'express';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import {
  attachDb,
  currentDb,
  currentTenantId,
  endRequestScope,
  getDb,
  getTenantId,
  HttpError,
  problemDetailsErrorHandler,
  tenantScope,
  TenantScopeError,
  transactionScope,
} from './index.js';
import { startHttpTestServer, waitFor, type HttpTestServer } from './testing/http-test-server.js';
import { createTestSchema, type TestDatabaseSchema } from './testing/tenant-test-schema.js';

const database = useTestDatabase();
let db: StrataDb<TestDatabaseSchema>;
let admin: StrataDb<TestDatabaseSchema>;
let running: HttpTestServer | undefined;
const tenantA = randomUUID();
const tenantB = randomUUID();
const quietErrors = problemDetailsErrorHandler({ onServerError: () => undefined });

beforeAll(async () => {
  await createTestSchema(database.ownerUrl);
  db = createDb<TestDatabaseSchema>({ connectionString: database.appUrl, max: 4, connectionTimeoutMillis: 2_000 });
  admin = createDb<TestDatabaseSchema>({ connectionString: database.adminUrl, max: 1 });
});

afterEach(async () => {
  await running?.close();
  running = undefined;
  await sql`truncate projects, deferred_checks`.execute(admin);
});

afterAll(async () => {
  await db?.close();
  await admin?.close();
});

/** An app with the db attached, a tenant scope under /t/:tenant, routes from `routes`, and the problem handler. */
async function serve(routes: (app: Express) => void, scopeOptions: Partial<Parameters<typeof tenantScope>[0]> = {}): Promise<string> {
  const app = express();
  attachDb(app, db);
  app.use('/t/:tenant', tenantScope({ resolveTenant: (req) => req.params.tenant, ...scopeOptions }));
  routes(app);
  app.use(quietErrors);
  running = await startHttpTestServer(app);
  return running.baseUrl;
}

async function committedProjects(): Promise<string[]> {
  const rows = await admin.selectFrom('projects').select('name').orderBy('name').execute();
  return rows.map((row) => row.name);
}

describe('tenantScope: commit before the response', () => {
  it('commits before the response is sent: the row is visible the moment the client has the answer', async () => {
    const base = await serve((app) => {
      app.post('/t/:tenant/projects', express.json(), async (req, res) => {
        const row = await req.db.insertInto('projects').values({ tenant_id: getTenantId(req)!, name: req.body.name }).returning('id').executeTakeFirstOrThrow();
        res.status(201).json(row);
      });
    });
    for (let index = 0; index < 20; index += 1) {
      const response = await fetch(`${base}/t/${tenantA}/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `p${index}` }),
      });
      expect(response.status).toBe(201);
      // No wait at all: if COMMIT ran after the response, this read would race it.
      const { rows } = await sql<{ count: string }>`select count(*) from projects where name = ${`p${index}`}`.execute(admin);
      expect(rows[0]!.count).toBe('1');
    }
  });

  it('turns a failed COMMIT (deferred unique key) into a 500 problem and drops the handler response, cookies included', async () => {
    const base = await serve((app) => {
      app.post('/t/:tenant/deferred', async (req, res) => {
        await req.db.insertInto('deferred_checks').values([{ id: 1 }, { id: 1 }]).execute(); // passes now, fails at COMMIT
        res.cookie('session', 'must-not-reach-the-client').status(201).json({ ok: true });
      });
    });
    const response = await fetch(`${base}/t/${tenantA}/deferred`, { method: 'POST' });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('set-cookie')).toBeNull();
    const body = await response.json();
    expect(body).toMatchObject({ status: 500, code: 'commit_failed' });
    expect(JSON.stringify(body)).not.toMatch(/deferred_checks|duplicate|insert/i);
    const { rows } = await sql<{ count: string }>`select count(*) from deferred_checks`.execute(admin);
    expect(rows[0]!.count).toBe('0');
  });

  it('rolls back when the handler answers with an error status', async () => {
    const base = await serve((app) => {
      app.post('/t/:tenant/half-done', async (req) => {
        await req.db.insertInto('projects').values({ tenant_id: getTenantId(req)!, name: 'half' }).execute();
        throw new HttpError(422, 'second step refused');
      });
      app.post('/t/:tenant/reported', async (req, res) => {
        await req.db.insertInto('projects').values({ tenant_id: getTenantId(req)!, name: 'reported' }).execute();
        res.status(409).json({ conflict: true });
      });
    });
    const first = await fetch(`${base}/t/${tenantA}/half-done`, { method: 'POST' });
    expect(first.status).toBe(422);
    expect(await first.json()).toMatchObject({ detail: 'second step refused' });
    const second = await fetch(`${base}/t/${tenantA}/reported`, { method: 'POST' });
    expect(second.status).toBe(409);
    expect(await committedProjects()).toEqual([]);
  });

  it('can commit on error statuses too when commitWhen says so', async () => {
    const base = await serve(
      (app) => {
        app.post('/t/:tenant/audit', async (req, res) => {
          await req.db.insertInto('projects').values({ tenant_id: getTenantId(req)!, name: 'audited' }).execute();
          res.status(403).json({ denied: true });
        });
      },
      { commitWhen: () => true },
    );
    expect((await fetch(`${base}/t/${tenantA}/audit`, { method: 'POST' })).status).toBe(403);
    expect(await committedProjects()).toEqual(['audited']);
  });

  it('refuses queries once the response has started', async () => {
    let lateError: unknown;
    let lateQueryDone!: () => void;
    const lateQuery = new Promise<void>((resolve) => {
      lateQueryDone = resolve;
    });
    const base = await serve((app) => {
      app.get('/t/:tenant/late', async (req, res) => {
        const trx = getDb(req);
        res.json({ ok: true });
        try {
          await trx.selectFrom('projects').selectAll().execute();
        } catch (error) {
          lateError = error;
        }
        lateQueryDone();
      });
    });
    const response = await fetch(`${base}/t/${tenantA}/late`);
    expect(response.status).toBe(200);
    await lateQuery;
    expect(lateError).toBeInstanceOf(TenantScopeError);
  });
});

describe('tenantScope: tenant context', () => {
  it('keeps the tenant across express.json() placed after the scope, across awaits and timers, in currentDb()', async () => {
    const base = await serve((app) => {
      app.use(express.json({ limit: '2mb' }));
      app.post('/t/:tenant/context', async (req, res) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const { rows } = await sql<{ tenant: string }>`select current_setting('app.tenant_id', true) as tenant`.execute(currentDb());
        await new Promise((resolve) => setImmediate(resolve));
        res.json({ fromSetting: rows[0]!.tenant, fromContext: currentTenantId(), fromRequest: getTenantId(req), size: req.body.padding.length });
      });
    });
    // A body of ~1 MB arrives in many 'data' events, so express.json() finishes in a later tick.
    const padding = 'x'.repeat(1_000_000);
    const results = await Promise.all(
      [tenantA, tenantB, tenantA, tenantB].map(async (tenant) => {
        const response = await fetch(`${base}/t/${tenant}/context`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ padding }),
        });
        expect(response.status).toBe(200);
        return { tenant, body: await response.json() };
      }),
    );
    for (const { tenant, body } of results) {
      expect(body).toEqual({ fromSetting: tenant, fromContext: tenant, fromRequest: tenant, size: padding.length });
    }
  });

  it('keeps the tenant across a body reader that calls next() from request events (multer-style)', async () => {
    const base = await serve((app) => {
      // Like multer/busboy or a hand-written parser: next() runs inside the request's 'end'
      // event, which Node emits in the socket's async context.
      app.use((req, _res, next) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          req.body = Buffer.concat(chunks).toString('utf8');
          next();
        });
      });
      app.post('/t/:tenant/raw', async (req, res) => {
        const { rows } = await sql<{ tenant: string }>`select current_setting('app.tenant_id', true) as tenant`.execute(currentDb());
        res.json({ fromSetting: rows[0]!.tenant, fromContext: currentTenantId() ?? null, size: (req.body as string).length });
      });
    });
    const body = 'y'.repeat(500_000);
    const results = await Promise.all(
      [tenantA, tenantB].map(async (tenant) => {
        const response = await fetch(`${base}/t/${tenant}/raw`, { method: 'POST', body });
        return { tenant, body: await response.json() };
      }),
    );
    for (const result of results) {
      expect(result.body).toEqual({ fromSetting: result.tenant, fromContext: result.tenant, size: body.length });
    }
  });

  it('shows each tenant only its own rows, with no WHERE clause in the route', async () => {
    const base = await serve((app) => {
      app.use(express.json());
      app.post('/t/:tenant/projects', async (req, res) => {
        await req.db.insertInto('projects').values({ tenant_id: getTenantId(req)!, name: req.body.name }).execute();
        res.status(201).end();
      });
      app.get('/t/:tenant/projects', async (req, res) => {
        res.json(await req.db.selectFrom('projects').select('name').orderBy('name').execute());
      });
    });
    const post = (tenant: string, name: string) =>
      fetch(`${base}/t/${tenant}/projects`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    expect((await post(tenantA, 'a1')).status).toBe(201);
    expect((await post(tenantB, 'b1')).status).toBe(201);
    expect(await (await fetch(`${base}/t/${tenantA}/projects`)).json()).toEqual([{ name: 'a1' }]);
    expect(await (await fetch(`${base}/t/${tenantB}/projects`)).json()).toEqual([{ name: 'b1' }]);
  });

  it('answers 400 for a malformed tenant id without taking a connection', async () => {
    const base = await serve((app) => {
      app.get('/t/:tenant/projects', (_req, res) => {
        res.json([]);
      });
    });
    const response = await fetch(`${base}/t/${encodeURIComponent("x' or 1=1 --")}/projects`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid_tenant' });
  });

  it('leaves skipped routes outside the scope', async () => {
    const base = await serve(
      (app) => {
        app.get('/t/:tenant/stream', (req, res) => {
          res.json({ tenant: getTenantId(req) ?? null, inTransaction: req.db.isTransaction });
        });
      },
      { skip: (req) => req.path.endsWith('/stream') },
    );
    expect(await (await fetch(`${base}/t/${tenantA}/stream`)).json()).toEqual({ tenant: null, inTransaction: false });
  });

  it('lets a route commit early with endRequestScope and then stream without a connection', async () => {
    const base = await serve((app) => {
      app.get('/t/:tenant/events', async (req, res) => {
        await req.db.insertInto('projects').values({ tenant_id: getTenantId(req)!, name: 'before-stream' }).execute();
        await endRequestScope(req);
        const poolAfterCommit = db.poolStats();
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let index = 0; index < 3; index += 1) {
          res.write(`tick ${index}\n`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        res.end(`idle ${poolAfterCommit.idle} of ${poolAfterCommit.total}\n`);
      });
    });
    const text = await (await fetch(`${base}/t/${tenantA}/events`)).text();
    expect(text).toMatch(/^tick 0\ntick 1\ntick 2\nidle (\d+) of \1\n$/);
    expect(await committedProjects()).toEqual(['before-stream']);
  });
});

describe('tenantScope: aborted requests', () => {
  it('rolls back and releases the connection of every aborted request', async () => {
    let started = 0;
    const base = await serve((app) => {
      app.post('/t/:tenant/slow', async (req, res) => {
        await req.db.insertInto('projects').values({ tenant_id: getTenantId(req)!, name: `slow-${randomUUID()}` }).execute();
        started += 1;
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        // By now the client is gone: this query must be refused, not run on a pooled connection.
        await req.db.selectFrom('projects').selectAll().execute();
        res.json({ ok: true });
      });
    });
    const abortOne = () =>
      new Promise<void>((resolve) => {
        const request = http.request(`${base}/t/${tenantA}/slow`, { method: 'POST' });
        request.on('error', () => resolve());
        request.end();
        setTimeout(() => {
          request.destroy();
          resolve();
        }, 150);
      });
    for (let wave = 0; wave < 5; wave += 1) {
      await Promise.all(Array.from({ length: 8 }, abortOne));
    }
    await waitFor(() => {
      const stats = db.poolStats();
      return stats.waiting === 0 && stats.idle === stats.total;
    }, 3_000, 'the pool to be idle');
    expect(started).toBeGreaterThan(0);
    const { rows } = await sql<{ count: string }>`
      select count(*) from pg_stat_activity where usename = ${database.appRole} and state like 'idle in transaction%'
    `.execute(admin);
    expect(rows[0]!.count).toBe('0');
    expect(await committedProjects()).toEqual([]);
    // The pool still serves requests normally afterwards.
    const healthy = await fetch(`${base}/t/${tenantB}/missing-route`);
    expect(healthy.status).toBe(404);
  });
});

describe('transactionScope', () => {
  it('runs a request in one transaction without a tenant', async () => {
    const app = express();
    attachDb(app, db);
    app.post('/deferred', transactionScope(), async (req, res) => {
      await req.db.insertInto('deferred_checks').values({ id: 7 }).execute();
      res.status(201).json({ inTransaction: req.db.isTransaction });
    });
    app.use(quietErrors);
    running = await startHttpTestServer(app);
    const response = await fetch(`${running.baseUrl}/deferred`, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ inTransaction: true });
    const { rows } = await sql<{ id: number }>`select id from deferred_checks`.execute(admin);
    expect(rows).toEqual([{ id: 7 }]);
  });
});
