import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, type StrataDb } from '@strata/db-core';
import { createMigrator } from '@strata/db-migrate';
import { createDemoApp } from '@strata/demo/app';
import { MemoryMailer } from '@strata/demo/mail';
import { demoMigrations } from '@strata/demo/migrations';
import type { DemoDatabase } from '@strata/demo/schema';
import type { TestDatabase } from '@strata/testkit';

/** The demo app (apps/demo) running on loopback over a test database. */
export interface RunningDemo {
  readonly baseUrl: string;
  readonly db: StrataDb<DemoDatabase>;
  readonly mailer: MemoryMailer;
  /** 5xx errors the app logged (the hostile-input suite requires none). */
  readonly serverErrors: unknown[];
  close(): Promise<void>;
}

/**
 * Migrates the database with the demo's own migrations (as the owner, over the direct URL:
 * the runner holds a session advisory lock) and starts the demo's Express app as the app
 * role, with an in-memory mailer, cheap scrypt and relaxed rate limits.
 *
 * @example
 * const demo = await startDemo(database);
 */
export async function startDemo(database: TestDatabase): Promise<RunningDemo> {
  const migrator = createMigrator({ connectionString: database.directOwnerUrl, source: demoMigrations(database.appRole) });
  try {
    const result = await migrator.up();
    if (!result.success) throw result.error ?? new Error('demo migrations failed');
  } finally {
    await migrator.close();
  }
  const db = createDb<DemoDatabase>({ connectionString: database.directAppUrl, max: 8 });
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mailer = new MemoryMailer();
  const serverErrors: unknown[] = [];
  const demo = createDemoApp({
    db,
    mailer,
    publicUrl: baseUrl,
    scrypt: { cost: 2 ** 12, blockSize: 8, parallelization: 1 },
    rateLimits: { windowMillis: 60_000, signIn: 100_000, passwordReset: 100_000 },
    onServerError: (error) => serverErrors.push(error),
  });
  server.on('request', demo.app);
  return {
    baseUrl,
    db,
    mailer,
    serverErrors,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/** One HTTP response as the client saw it. */
export interface DemoResponse {
  readonly status: number;
  readonly text: string;
  readonly body: unknown;
  readonly headers: Headers;
}

/**
 * A browser-like client of the demo API: keeps the session cookie and sends the CSRF token
 * from `/api/session` on state-changing requests, like the demo's page does.
 *
 * @example
 * const client = new DemoClient(demo.baseUrl);
 * await client.request('POST', '/api/sign-up', { email, password });
 */
export class DemoClient {
  /** The raw session token from the cookie (what a thief of the database must not find). */
  sessionToken = '';
  csrfToken = '';

  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<DemoResponse> {
    const requestHeaders: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.sessionToken) requestHeaders.cookie = `strata_demo_session=${this.sessionToken}`;
    if (this.csrfToken && method !== 'GET') requestHeaders['x-csrf-token'] ??= this.csrfToken;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      requestHeaders['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers: requestHeaders, body: payload, redirect: 'manual' });
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith('strata_demo_session='));
    if (cookie) this.sessionToken = cookie.split(';')[0]!.slice('strata_demo_session='.length);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: response.status, text, body: parsed, headers: response.headers };
  }

  /** Reads the session (and its CSRF token) after signing up or in. */
  async refreshSession(): Promise<void> {
    const session = await this.request('GET', '/api/session');
    this.csrfToken = session.status === 200 ? String((session.body as { csrfToken?: unknown }).csrfToken ?? '') : '';
  }
}

/** The path and query of a link from a demo mail. */
export function pathOf(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}
