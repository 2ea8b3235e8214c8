/**
 * HTTP endpoint benchmark: the demo's tenant-scoped list endpoint
 * (GET /api/organizations/:organizationId/projects, cookie session, membership check,
 * projects behind RLS) against the same endpoint hand-written with raw pg and Express:
 *
 *  - raw pg, RLS (baseline): session lookup, membership check, then the usual tenant
 *    pattern on a checked-out client: BEGIN, set_config, SELECT, COMMIT;
 *  - raw pg, WHERE only: session lookup, membership check, one SELECT filtered by a WHERE
 *    clause, no RLS (the lower bound: no tenant transaction at all);
 *  - the demo: express-db's tenantScope (BEGIN + setting + SELECT pipelined, COMMIT before
 *    the response), auth-schema sessions, helmet, CSRF and validation middleware.
 *
 * Each server runs in its own child process (this file, forked with --endpoint-server);
 * autocannon drives one at a time from this process, over loopback, for several rounds in
 * rotating order; the median round is reported.
 *
 * Run: pnpm bench endpoint   (DATABASE_URL=… to use a server instead of embedded PostgreSQL)
 */
import { createHash } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createAuthAdapter, createTeamAdapter } from '@strata/auth-schema';
import { createDb } from '@strata/db-core';
import { createMigrator } from '@strata/db-migrate';
import { createDemoApp } from '@strata/demo/app';
import { MemoryMailer } from '@strata/demo/mail';
import { demoMigrations } from '@strata/demo/migrations';
import type { DemoDatabase } from '@strata/demo/schema';
import { openBenchDatabase } from './bench-database.js';
import { formatReportTable, type BenchRow } from './report-table.js';

type VariantName = 'raw-rls' | 'raw-where' | 'demo';

const variants: ReadonlyArray<{ name: VariantName; label: string; note: string }> = [
  { name: 'raw-rls', label: 'raw pg + Express, RLS (BEGIN, set_config, SELECT, COMMIT)', note: '6 round trips' },
  { name: 'raw-where', label: 'raw pg + Express, WHERE only, no RLS', note: '3 round trips; a role RLS does not apply to: no isolation in the database' },
  { name: 'demo', label: 'demo: express-db tenantScope + auth-schema + middleware', note: '4 round trips' },
];

const organizationCount = 10;
const projectsPerOrganization = 50;
const poolSize = 10;
const connections = 16;
const rounds = 5;
const warmupSeconds = 2;
const measureSeconds = 8;

const projectColumns = 'id, name, description, created_at';

/** The hand-written server: the same endpoint, the same queries, nothing but raw pg. */
function rawServer(appUrl: string, useRowLevelSecurity: boolean): express.Express {
  const pool = new pg.Pool({ connectionString: appUrl, max: poolSize });
  pool.on('error', () => undefined);
  const app = express();
  app.disable('x-powered-by');
  app.use(cookieParser());
  app.get('/api/organizations/:organizationId/projects', async (request: Request, response: Response, next: NextFunction) => {
    try {
      const token = request.cookies.strata_demo_session;
      if (typeof token !== 'string') return void response.status(401).json({ detail: 'Sign in first' });
      const tokenHash = createHash('sha256').update(token).digest();
      const session = await pool.query(
        'select u.id from sessions s join users u on u.id = s.user_id where s.token_hash = $1 and s.expires_at > now()',
        [tokenHash],
      );
      const userId = session.rows[0]?.id;
      if (!userId) return void response.status(401).json({ detail: 'Sign in first' });
      const organizationId = String(request.params.organizationId);
      if (!/^[0-9a-f-]{36}$/i.test(organizationId)) return void response.status(400).json({ detail: 'Bad id' });
      const member = await pool.query('select role from members where organization_id = $1 and user_id = $2', [organizationId, userId]);
      if (member.rowCount === 0) return void response.status(404).json({ detail: 'No such organization' });
      const list = `select ${projectColumns} from projects where organization_id = $1 order by created_at desc limit 100`;
      if (!useRowLevelSecurity) {
        response.json((await pool.query(list, [organizationId])).rows);
        return;
      }
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query("select set_config('app.tenant_id', $1, true)", [organizationId]);
        const rows = (await client.query(list, [organizationId])).rows;
        await client.query('commit');
        client.release();
        response.json(rows);
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        client.release(true);
        throw error;
      }
    } catch (error) {
      next(error);
    }
  });
  return app;
}

/** Child process: start one variant's server and report its port. */
async function serveVariant(variant: VariantName, appUrl: string, appRole: string, adminUrl: string): Promise<void> {
  let app: express.Express;
  if (variant === 'demo') {
    const db = createDb<DemoDatabase>({ connectionString: appUrl, max: poolSize, applicationName: 'strata-bench-demo' });
    app = createDemoApp({
      db,
      mailer: new MemoryMailer(),
      publicUrl: 'http://127.0.0.1',
      migrationStatus: createMigrator({ db, source: demoMigrations(appRole) }),
    }).app;
  } else {
    // Without a tenant setting, RLS shows the app role nothing (it fails closed), so the
    // WHERE-only variant connects as a role that RLS does not apply to, as apps without
    // RLS do.
    app = variant === 'raw-rls' ? rawServer(appUrl, true) : rawServer(adminUrl, false);
  }
  const server = app.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  // The parent asks for the CPU time used so far, to report CPU per request: unlike
  // throughput, it barely moves when other processes compete for the machine.
  process.on('message', (message) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send?.({ cpuMicros: usage.user + usage.system });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

interface RunningServer {
  readonly child: ChildProcess;
  readonly port: number;
}

async function startServer(variant: VariantName, appUrl: string, appRole: string, adminUrl: string): Promise<RunningServer> {
  const child = fork(fileURLToPath(import.meta.url), ['--endpoint-server', variant, appUrl, appRole, adminUrl], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`${variant} server exited with code ${code}`)));
  });
  return { child, port };
}

function cpuMicros(server: RunningServer): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'cpuMicros' in message) {
        server.child.off('message', onMessage);
        resolve((message as { cpuMicros: number }).cpuMicros);
      }
    };
    server.child.on('message', onMessage);
    server.child.send('cpu');
  });
}

async function load(url: string, cookie: string, seconds: number): Promise<autocannon.Result> {
  return await autocannon({ url, connections, duration: seconds, headers: { cookie } });
}

/** Creates the schema with the demo's migrations and fills it; returns the session cookie and the organization to list. */
async function seed(adminUrl: string, appRole: string): Promise<{ cookie: string; organizationId: string }> {
  const migrator = createMigrator({ connectionString: adminUrl, source: demoMigrations(appRole) });
  const result = await migrator.up();
  await migrator.close();
  if (!result.success) throw result.error ?? new Error('migration failed');
  const db = new Kysely<DemoDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: adminUrl, max: 2 }) }) });
  try {
    const auth = createAuthAdapter({ db });
    const organizations = createTeamAdapter({ db });
    const user = await auth.createUser({ email: 'bench@example.com', name: 'Bench', password_hash: null });
    const { token } = await auth.createSession({ user_id: user.id, ip_address: null, user_agent: null });
    const other = await auth.createUser({ email: 'other@example.com', name: 'Other', password_hash: null });
    let organizationId = '';
    for (let index = 0; index < organizationCount; index += 1) {
      const owner = index === 0 ? user.id : other.id;
      const { organization } = await organizations.createOrganization({ name: `Org ${index}`, slug: `org-${index}` }, { ownerId: owner });
      if (index === 0) organizationId = organization.id;
      await db
        .insertInto('projects')
        .values(
          Array.from({ length: projectsPerOrganization }, (_unused, number) => ({
            organization_id: organization.id,
            name: `Project ${number}`,
            description: `Description of project ${number} of organization ${index}`,
            created_by: owner,
          })),
        )
        .execute();
    }
    await sql`analyze`.execute(db);
    return { cookie: `strata_demo_session=${token}`, organizationId };
  } finally {
    await db.destroy();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(): Promise<string> {
  const benchDatabase = await openBenchDatabase('endpoint');
  const appRole = new URL(benchDatabase.appUrl).username;
  const servers = new Map<VariantName, RunningServer>();
  try {
    const { cookie, organizationId } = await seed(benchDatabase.url, appRole);
    for (const variant of variants) servers.set(variant.name, await startServer(variant.name, benchDatabase.appUrl, appRole, benchDatabase.url));
    const path = `/api/organizations/${organizationId}/projects`;

    // Every variant must answer the same rows before it is measured.
    const expected = JSON.stringify(await (await fetch(`http://127.0.0.1:${servers.get('raw-rls')!.port}${path}`, { headers: { cookie } })).json());
    for (const variant of variants) {
      const body = await (await fetch(`http://127.0.0.1:${servers.get(variant.name)!.port}${path}`, { headers: { cookie } })).json();
      if (JSON.stringify(body) !== expected) throw new Error(`${variant.name} answers differently from raw-rls`);
      if ((body as unknown[]).length !== projectsPerOrganization) throw new Error(`${variant.name} returned ${(body as unknown[]).length} rows`);
    }

    const samples = new Map<VariantName, Array<{ requestsPerSecond: number; meanMillis: number; p99Millis: number; cpuMicrosPerRequest: number }>>();
    for (let round = 0; round < rounds; round += 1) {
      for (let offset = 0; offset < variants.length; offset += 1) {
        const variant = variants[(round + offset) % variants.length]!;
        const url = `http://127.0.0.1:${servers.get(variant.name)!.port}${path}`;
        await load(url, cookie, warmupSeconds);
        const cpuBefore = await cpuMicros(servers.get(variant.name)!);
        const result = await load(url, cookie, measureSeconds);
        const cpuUsed = (await cpuMicros(servers.get(variant.name)!)) - cpuBefore;
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`${variant.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
        const list = samples.get(variant.name) ?? [];
        list.push({
          requestsPerSecond: result.requests.total / measureSeconds,
          meanMillis: result.latency.average,
          p99Millis: result.latency.p99,
          cpuMicrosPerRequest: cpuUsed / result.requests.total,
        });
        samples.set(variant.name, list);
      }
    }

    const cpuByVariant = new Map<VariantName, number>();
    const rows: BenchRow[] = variants.map((variant) => {
      const measured = samples.get(variant.name)!;
      const requestsPerSecond = median(measured.map((sample) => sample.requestsPerSecond));
      const chosen = measured.find((sample) => sample.requestsPerSecond === requestsPerSecond)!;
      const cpu = median(measured.map((sample) => sample.cpuMicrosPerRequest));
      cpuByVariant.set(variant.name, cpu);
      return {
        name: variant.label,
        opsPerSecond: requestsPerSecond,
        meanMillis: chosen.meanMillis,
        p99Millis: chosen.p99Millis,
        note: `${variant.note}; server CPU ${Math.round(cpu)} µs/request`,
      };
    });
    const baselineCpu = cpuByVariant.get('raw-rls')!;
    const cpuRatios = variants.map((variant) => `${variant.name} ${(baselineCpu / cpuByVariant.get(variant.name)!).toFixed(2)}×`).join(', ');
    const title = `HTTP endpoint (${benchDatabase.serverDescription}, node ${process.version}, ${connections} connections, ${projectsPerOrganization} rows per response, median of ${rounds} × ${measureSeconds} s)`;
    return `${formatReportTable(title, variants[0]!.label, rows)}\n\nThroughput per server CPU second (baseline CPU per request ÷ variant's, the capacity ratio when the server is the bottleneck): ${cpuRatios}.`;
  } finally {
    for (const server of servers.values()) server.child.kill();
    await benchDatabase.close();
  }
}

if (process.argv[2] === '--endpoint-server') {
  await serveVariant(process.argv[3] as VariantName, process.argv[4]!, process.argv[5]!, process.argv[6]!);
}
