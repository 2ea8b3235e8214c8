import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import express from 'express';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { attachDb, getTenantId, gracefulShutdown, problemDetailsErrorHandler, readinessHandler, tenantScope, type GracefulShutdownOptions } from './index.js';
import { startHttpTestServer, waitFor, type HttpTestServer } from './testing/http-test-server.js';
import { createTestSchema, type TestDatabaseSchema } from './testing/tenant-test-schema.js';

const database = useTestDatabase();
let admin: StrataDb<TestDatabaseSchema>;
const tenant = randomUUID();

beforeAll(async () => {
  await createTestSchema(database.ownerUrl);
  admin = createDb<TestDatabaseSchema>({ connectionString: database.adminUrl, max: 1 });
});

afterAll(async () => {
  await admin?.close();
});

interface Harness {
  db: StrataDb<TestDatabaseSchema>;
  running: HttpTestServer;
  signals: EventEmitter;
  exitCodes: number[];
  shutdown: ReturnType<typeof gracefulShutdown>;
}

/** A server whose POST /t/:tenant/work/:millis inserts a row, waits, then answers 201. */
async function startHarness(options: Partial<GracefulShutdownOptions> = {}): Promise<Harness> {
  const db = createDb<TestDatabaseSchema>({ connectionString: database.appUrl, max: 3 });
  const app = express();
  const attachment = attachDb(app, db);
  app.get('/health/ready', readinessHandler());
  app.use('/t/:tenant', tenantScope({ resolveTenant: (req) => req.params.tenant }));
  app.post('/t/:tenant/work/:name/:millis', async (req, res) => {
    await req.db.insertInto('projects').values({ tenant_id: getTenantId(req)!, name: req.params.name as string }).execute();
    await new Promise((resolve) => setTimeout(resolve, Number(req.params.millis)));
    res.status(201).json({ done: req.params.name });
  });
  app.use(problemDetailsErrorHandler({ onServerError: () => undefined }));
  const running = await startHttpTestServer(app);
  const signals = new EventEmitter();
  const exitCodes: number[] = [];
  const shutdown = gracefulShutdown(running.server, {
    database: attachment,
    signalSource: signals as unknown as NonNullable<GracefulShutdownOptions['signalSource']>,
    exit: (code) => exitCodes.push(code),
    log: () => undefined,
    ...options,
  });
  return { db, running, signals, exitCodes, shutdown };
}

/** A request over a keep-alive agent, resolving with status, headers and body (or the socket error). */
function request(agent: http.Agent, url: string, method = 'GET'): Promise<{ status: number; connection: string | undefined; body: string } | Error> {
  return new Promise((resolve) => {
    const outgoing = http.request(url, { method, agent }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection, body }));
    });
    outgoing.on('error', resolve);
    outgoing.end();
  });
}

async function committedNames(): Promise<string[]> {
  return (await admin.selectFrom('projects').select('name').orderBy('name').execute()).map((row) => row.name);
}

describe('gracefulShutdown', () => {
  it('on SIGTERM: readiness fails at once, in-flight requests drain and commit, then the pool closes and the process exits 0', async () => {
    const harness = await startHarness({ readinessDelayMillis: 200 });
    const agent = new http.Agent({ keepAlive: true });
    const base = harness.running.baseUrl;
    expect((await request(agent, `${base}/health/ready`)) as { status: number }).toMatchObject({ status: 200 });

    const inFlight = request(agent, `${base}/t/${tenant}/work/drained/500`, 'POST');
    await waitFor(() => harness.db.poolStats().total > 0 && harness.db.poolStats().idle < harness.db.poolStats().total, 2_000, 'the request to hold a connection');
    harness.signals.emit('SIGTERM', 'SIGTERM');
    expect(harness.shutdown.state).toBe('shutting_down');

    // During the readiness delay the listener still accepts, and readiness says 503.
    const duringDelay = await request(new http.Agent(), `${base}/health/ready`);
    expect(duringDelay).toMatchObject({ status: 503, connection: 'close' });

    const finished = await inFlight;
    expect(finished).toMatchObject({ status: 201, connection: 'close', body: '{"done":"drained"}' });
    expect(await committedNames()).toContain('drained');

    await waitFor(() => harness.exitCodes.length > 0, 5_000, 'exit');
    expect(harness.exitCodes).toEqual([0]);
    expect(harness.shutdown.state).toBe('stopped');
    expect(harness.db.pool.ended).toBe(true);
    const outcome = await harness.shutdown.shutdown();
    expect(outcome).toMatchObject({ clean: true, timedOut: false, forcedConnections: 0, reason: 'SIGTERM' });
    // The idle keep-alive socket was closed rather than waited for, and nothing listens any more.
    expect(outcome.durationMillis).toBeLessThan(2_000);
    expect(await request(new http.Agent(), `${base}/health/ready`)).toBeInstanceOf(Error);
    agent.destroy();
    harness.shutdown.dispose();
  });

  it('cuts requests that outlive the drain timeout: their transactions roll back and the pool still closes', async () => {
    const harness = await startHarness({ drainTimeoutMillis: 300 });
    const agent = new http.Agent({ keepAlive: true });
    const hanging = request(agent, `${harness.running.baseUrl}/t/${tenant}/work/cut/10000`, 'POST');
    await waitFor(() => harness.db.poolStats().idle < harness.db.poolStats().total, 2_000, 'the request to hold a connection');
    const started = performance.now();
    const outcome = await harness.shutdown.shutdown('test');
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(outcome).toMatchObject({ clean: false, timedOut: false, forcedConnections: 1, reason: 'test' });
    expect(await hanging).toBeInstanceOf(Error);
    expect(harness.db.pool.ended).toBe(true);
    expect(await committedNames()).not.toContain('cut');
    expect(harness.exitCodes).toEqual([]); // shutdown() called directly never exits the process
    agent.destroy();
  });

  it('exits 1 when the whole shutdown outlives timeoutMillis', async () => {
    const harness = await startHarness({ timeoutMillis: 300, beforeClose: () => new Promise<void>(() => undefined) });
    harness.signals.emit('SIGINT', 'SIGINT');
    await waitFor(() => harness.exitCodes.length > 0, 3_000, 'exit');
    expect(harness.exitCodes).toEqual([1]);
    expect(await harness.shutdown.shutdown()).toMatchObject({ timedOut: true, clean: false });
    await harness.db.close();
  });

  it('listens to no signal with signals: false and removes its listeners on dispose', async () => {
    const signals = new EventEmitter();
    const harness = await startHarness({ signals: false, signalSource: signals as never });
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    harness.shutdown.dispose();
    const second = await startHarness({ signalSource: signals as never });
    expect(signals.listenerCount('SIGTERM')).toBe(1);
    second.shutdown.dispose();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    await harness.running.close();
    await second.running.close();
    await harness.db.close();
    await second.db.close();
  });
});

