import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type StrataDb } from '@strata/db-core';
import { createMigrator, type Migrator } from '@strata/db-migrate';
import { findFreePort, useTestDatabase } from '@strata/testkit';
import { attachDb, checkReadiness, livenessHandler, readinessHandler, type DbAttachment } from './index.js';
import { startHttpTestServer, type HttpTestServer } from './testing/http-test-server.js';

const database = useTestDatabase();
const migrations = [
  { name: '001_create_projects', up: 'create table projects (id int primary key)' },
  { name: '002_create_notes', up: 'create table notes (id int primary key)' },
];
let db: StrataDb<unknown>;
let migrator: Migrator;
let attachment: DbAttachment<unknown>;
let running: HttpTestServer;

beforeAll(async () => {
  db = createDb({ connectionString: database.appUrl, max: 2 });
  migrator = createMigrator({ connectionString: database.ownerUrl, source: migrations });
  const app = express();
  attachment = attachDb(app, db, { migrationStatus: migrator });
  app.get('/health/live', livenessHandler());
  app.get('/health/ready', readinessHandler());
  running = await startHttpTestServer(app);
});

afterAll(async () => {
  await running?.close();
  await migrator?.close();
  await db?.close();
});

async function readiness(): Promise<{ status: number; body: any }> {
  const response = await fetch(`${running.baseUrl}/health/ready`);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return { status: response.status, body: await response.json() };
}

describe('readinessHandler with db-migrate', () => {
  it('fails before the first migration, while migrations are pending, and passes once all are applied', async () => {
    const fresh = await readiness();
    expect(fresh.status).toBe(503);
    expect(fresh.body).toMatchObject({ status: 'not_ready', checks: { database: { ok: true }, migrations: { ok: false, state: 'uninitialized' } } });

    expect((await migrator.up({ to: '001_create_projects' })).success).toBe(true);
    const pending = await readiness();
    expect(pending.status).toBe(503);
    expect(pending.body.checks.migrations).toMatchObject({ ok: false, state: 'pending', pending: 1, reason: 'migrations_pending' });

    expect((await migrator.up()).success).toBe(true);
    const ready = await readiness();
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', shuttingDown: false, checks: { database: { ok: true }, migrations: { ok: true, state: 'up_to_date', pending: 0 } } });
  });

  it('keeps liveness at 200 whatever the database does', async () => {
    const response = await fetch(`${running.baseUrl}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('checkReadiness', () => {
  it('fails while the database is unreachable, without leaking the password', async () => {
    const port = await findFreePort();
    const unreachable = createDb({ connectionString: `postgres://app:hunter2@127.0.0.1:${port}/app`, connectionTimeoutMillis: 500, onBackgroundError: () => undefined });
    try {
      const app = express();
      attachDb(app, unreachable);
      app.get('/ready', readinessHandler());
      const server = await startHttpTestServer(app);
      try {
        const response = await fetch(`${server.baseUrl}/ready`);
        const text = await response.text();
        expect(response.status).toBe(503);
        expect(JSON.parse(text).checks.database).toMatchObject({ ok: false, reason: 'database_unreachable:ECONNREFUSED' });
        expect(text).not.toMatch(/hunter2|127\.0\.0\.1/);
      } finally {
        await server.close();
      }
    } finally {
      await unreachable.close();
    }
  });

  it('fails when the migration status cannot be read or is too slow', async () => {
    const failing = await checkReadiness({ db, migrationStatus: async () => Promise.reject(new Error('boom')) });
    expect(failing).toMatchObject({ ready: false, checks: { database: { ok: true }, migrations: { ok: false, reason: 'migration_status_unavailable' } } });
    const slow = await checkReadiness({ db, timeoutMillis: 50, migrationStatus: () => new Promise(() => undefined) });
    expect(slow.checks.migrations).toMatchObject({ ok: false, reason: 'migration_status_timeout' });
  });

  it('accepts a database ahead of the code (a newer version already migrated) by default, and can refuse it', async () => {
    const ahead = async () => ({ state: 'ahead' });
    expect((await checkReadiness({ db, migrationStatus: ahead })).ready).toBe(true);
    expect((await checkReadiness({ db, migrationStatus: ahead, readyMigrationStates: ['up_to_date'] })).ready).toBe(false);
  });

  it('fails at once once shutdown has begun, without touching the database', async () => {
    attachment.beginShutdown();
    const response = await fetch(`${running.baseUrl}/health/ready`);
    expect(response.status).toBe(503);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual({ status: 'not_ready', shuttingDown: true, checks: {} });
  });
});
