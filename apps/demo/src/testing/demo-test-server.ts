import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { createDb, type StrataDb } from '@strata/db-core';
import { createMigrator } from '@strata/db-migrate';
import type { TestDatabase } from '@strata/testkit';
import { createDemoApp, type DemoApp, type DemoAppOptions } from '../app/create-demo-app.js';
import { demoMigrations } from '../database/demo-migrations.js';
import type { DemoDatabase } from '../database/demo-schema.js';
import { verifyTenantIsolation } from '../database/isolation-guard.js';
import { MemoryMailer } from '../mail/mail-outbox.js';

/** A running demo on 127.0.0.1 (ephemeral port) over a fresh test database. */
export interface DemoTestServer extends DemoApp {
  readonly baseUrl: string;
  readonly server: Server;
  readonly db: StrataDb<DemoDatabase>;
  readonly mailer: MemoryMailer;
  close(): Promise<void>;
}

/** Cheap scrypt for tests only (the app's default is N = 2^17). */
export const testScrypt = { cost: 2 ** 12, blockSize: 8, parallelization: 1 };

/** Migrates the test database as its owner (once per database). */
export async function migrateTestDatabase(database: TestDatabase): Promise<void> {
  const migrator = createMigrator({ connectionString: database.ownerUrl, source: demoMigrations(database.appRole) });
  try {
    const result = await migrator.up();
    if (!result.success) throw result.error ?? new Error('migration failed');
  } finally {
    await migrator.close();
  }
}

/** Starts the demo the way main.ts does, with an in-memory mailer. */
export async function startDemoTestServer(database: TestDatabase, options: Partial<DemoAppOptions> = {}): Promise<DemoTestServer> {
  const db = createDb<DemoDatabase>({ connectionString: database.appUrl, max: 8 });
  await verifyTenantIsolation(db);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mailer = new MemoryMailer();
  const demo = createDemoApp({
    db,
    mailer,
    publicUrl: baseUrl,
    scrypt: testScrypt,
    rateLimits: { windowMillis: 60_000, signIn: 1_000, passwordReset: 1_000 },
    migrationStatus: createMigrator({ db, source: demoMigrations(database.appRole) }),
    onServerError: (error) => console.error('[demo test] server error', error),
    ...options,
  });
  server.on('request', demo.app);
  return {
    ...demo,
    baseUrl,
    server,
    db,
    mailer,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/** A cookie-keeping API client, like the page's fetch calls. */
export class DemoClient {
  private cookie = '';
  csrfToken = '';

  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const requestHeaders: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.cookie) requestHeaders.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET') requestHeaders['x-csrf-token'] ??= this.csrfToken;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      requestHeaders['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers: requestHeaders, body: payload, redirect: 'manual' });
    const setCookie = response.headers.getSetCookie().find((value) => value.startsWith('strata_demo_session='));
    if (setCookie) this.cookie = setCookie.split(';')[0]!.endsWith('=') ? '' : setCookie.split(';')[0]!;
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** Signs up, keeps the session cookie and CSRF token. */
  async signUp(email: string, password = 'correct horse battery', name?: string): Promise<any> {
    const response = await this.request('POST', '/api/sign-up', { email, password, ...(name ? { name } : {}) });
    if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
    await this.refreshSession();
    return response.body.user;
  }

  async signIn(email: string, password = 'correct horse battery'): Promise<number> {
    const response = await this.request('POST', '/api/sign-in', { email, password });
    if (response.status === 200) await this.refreshSession();
    return response.status;
  }

  async refreshSession(): Promise<void> {
    const session = await this.request('GET', '/api/session');
    this.csrfToken = session.status === 200 ? session.body.csrfToken : '';
  }

  forgetCookie(): void {
    this.cookie = '';
    this.csrfToken = '';
  }
}
