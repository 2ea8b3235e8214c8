/**
 * Session benchmark: resolving a session token to the session and its user, as
 *  - a single-row select on raw pg (reference: the cheapest possible lookup),
 *  - the same session ⋈ user join hand-written on raw pg (baseline), and the same join as a
 *    named prepared statement (reference: what Strata sends),
 *  - Strata's AuthAdapter.getSessionAndUser (token hashed, one precompiled statement),
 *  - @auth/kysely-adapter's getSessionAndUser (Auth.js' official Kysely adapter, raw token),
 * on the same server, same pool size, in one run.
 *
 * Run: pnpm bench session   (DATABASE_URL=… to use a server instead of embedded PostgreSQL)
 */
import { createHash } from 'node:crypto';
import { KyselyAdapter } from '@auth/kysely-adapter';
import { createDb } from '@strata/db-core';
import {
  createAuthAdapter,
  ensureCitextExtension,
  primaryKeyColumn,
  sessionColumns,
  sessionIndexes,
  timestampColumns,
  userColumns,
  type SessionTable,
  type UserTable,
} from '@strata/auth-schema';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { openBenchDatabase } from './bench-database.js';
import { formatReportTable } from './report-table.js';
import { measureThroughput, type ThroughputSettings } from './throughput-runner.js';

interface Database {
  users: UserTable & { display_name: string | null };
  sessions: SessionTable;
}

const userCount = 2_000;
const poolSize = 8;

const rawJoin = `
  select s.id as session_id, s.user_id, s.expires_at, s.ip_address, s.user_agent, s.active_organization_id,
         s.created_at as session_created_at, s.updated_at as session_updated_at, u.*
  from sessions s join users u on u.id = s.user_id
  where s.token_hash = $1 and s.expires_at > now()`;
const rawSingleRow = 'select * from sessions where token_hash = $1';

export async function run(): Promise<string> {
  const benchDatabase = await openBenchDatabase('session');
  const pools: pg.Pool[] = [];
  try {
    const setupDb = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: benchDatabase.url, max: 1 }) }) });
    await ensureCitextExtension(setupDb);
    await setupDb.schema.createTable('users').$call(primaryKeyColumn).$call(userColumns).$call(timestampColumns).addColumn('display_name', 'text').execute();
    await setupDb.schema.createTable('sessions').$call(primaryKeyColumn).$call(sessionColumns).$call(timestampColumns).execute();
    for (const index of sessionIndexes(setupDb.schema)) await index.execute();
    await setupDb.destroy();
    // The schema @auth/kysely-adapter documents for PostgreSQL.
    const setupPool = new pg.Pool({ connectionString: benchDatabase.url, max: 1 });
    setupPool.on('error', () => undefined);
    pools.push(setupPool);
    await setupPool.query(`create table "User" (id uuid primary key default gen_random_uuid(), name text, email text unique,
      "emailVerified" timestamptz, image text)`);
    await setupPool.query(`create table "Session" (id uuid primary key default gen_random_uuid(),
      "userId" uuid not null references "User"(id) on delete cascade, "sessionToken" text not null unique, expires timestamptz not null)`);
    await setupPool.query(`create index "Session_userId_index" on "Session" ("userId")`);

    const strata = createDb<Database>({ connectionString: benchDatabase.url, max: poolSize });
    const auth = createAuthAdapter({ db: strata, sessions: { maxAgeSeconds: 30 * 86_400, updateAgeSeconds: 86_400 } });
    const authJsPool = new pg.Pool({ connectionString: benchDatabase.url, max: poolSize });
    const rawPool = new pg.Pool({ connectionString: benchDatabase.url, max: poolSize });
    pools.push(authJsPool, rawPool);
    // Another process may terminate idle backends on a shared server: never crash on that.
    for (const pool of [authJsPool, rawPool]) pool.on('error', () => undefined);
    const authJsDb = new Kysely<any>({ dialect: new PostgresDialect({ pool: authJsPool }) });
    const authJs = KyselyAdapter(authJsDb);

    const strataTokens: string[] = [];
    const authJsTokens: string[] = [];
    for (let index = 0; index < userCount; index += 1) {
      const user = await auth.createUser({ email: `user${index}@example.com`, name: `User ${index}`, display_name: `U${index}` });
      strataTokens.push((await auth.createSession({ user_id: user.id, user_agent: 'bench' })).token);
      const authJsUser = await authJs.createUser!({ id: '', email: `user${index}@example.com`, emailVerified: null, name: `User ${index}` });
      const sessionToken = crypto.randomUUID();
      await authJs.createSession!({ sessionToken, userId: authJsUser.id, expires: new Date(Date.now() + 30 * 86_400_000) });
      authJsTokens.push(sessionToken);
    }
    await rawPool.query('analyze');

    const picker = (tokens: string[]) => {
      let next = 0;
      return () => tokens[next++ % tokens.length]!;
    };
    const nextStrata = picker(strataTokens);
    const nextRaw = picker(strataTokens);
    const nextSingle = picker(strataTokens);
    const nextPrepared = picker(strataTokens);
    const nextAuthJs = picker(authJsTokens);
    const sha256 = (token: string) => createHash('sha256').update(token).digest();

    // Sanity: every variant finds its session and user.
    if (!(await auth.getSessionAndUser(strataTokens[0]!))?.user.display_name) throw new Error('Strata lookup failed');
    if ((await rawPool.query(rawJoin, [sha256(strataTokens[0]!)])).rowCount !== 1) throw new Error('raw join failed');
    if (!(await authJs.getSessionAndUser!(authJsTokens[0]!))) throw new Error('Auth.js lookup failed');

    const baseline = 'raw pg: session ⋈ user join, hand-written';
    const strataName = 'Strata AuthAdapter.getSessionAndUser';
    const authJsName = '@auth/kysely-adapter getSessionAndUser';
    const variants = [
      {
        name: 'raw pg: single-row select (sessions only)',
        note: 'reference, not a full resolution',
        operation: () => rawPool.query(rawSingleRow, [sha256(nextSingle())]),
      },
      { name: baseline, note: '1 round trip, token hashed', operation: () => rawPool.query(rawJoin, [sha256(nextRaw())]) },
      {
        name: 'raw pg: the same join as a named prepared statement',
        note: 'reference: what Strata does under the hood',
        operation: () => rawPool.query({ name: 'bench_session_join', text: rawJoin, values: [sha256(nextPrepared())] }),
      },
      {
        name: strataName,
        note: '1 round trip (prepared), token hashed, custom columns typed',
        operation: () => auth.getSessionAndUser(nextStrata()),
      },
      {
        name: authJsName,
        note: '1 round trip, raw token stored',
        operation: async () => await authJs.getSessionAndUser!(nextAuthJs()),
      },
    ];

    const quick = process.env.STRATA_BENCH_QUICK === '1';
    // More, shorter rounds than the other benchmarks: on a shared 2-core machine the median
    // of 5 rotating rounds is much steadier than the median of 3 long ones.
    const sequential: ThroughputSettings = {
      concurrency: 1,
      durationMillis: quick ? 300 : 1_500,
      warmupMillis: quick ? 100 : 300,
      rounds: quick ? 1 : 5,
    };
    const concurrent: ThroughputSettings = { ...sequential, concurrency: 16 };
    const sequentialRows = await measureThroughput(variants, sequential);
    const concurrentRows = await measureThroughput(variants, concurrent);
    await strata.close();

    const ratio = (rows: typeof sequentialRows, name: string, base: string) =>
      (rows.find((row) => row.name === name)!.opsPerSecond / rows.find((row) => row.name === base)!.opsPerSecond).toFixed(2);
    const summary = [sequentialRows, concurrentRows].map(
      (rows, index) =>
        `- ${index === 0 ? 'one at a time' : '16 in flight'}: Strata = ${ratio(rows, strataName, baseline)}× the raw join ` +
        `(target ≥ 0.90), ${ratio(rows, strataName, authJsName)}× @auth/kysely-adapter, ` +
        `${ratio(rows, strataName, variants[2]!.name)}× the prepared raw join; ` +
        `the raw join = ${ratio(rows, baseline, variants[0]!.name)}× the single-row select`,
    );
    return [
      `## Sessions (${benchDatabase.serverDescription}, node ${process.version}, ${userCount} users with one session each)`,
      '',
      formatReportTable('One request at a time (latency-bound)', baseline, sequentialRows),
      '',
      formatReportTable(`16 requests in flight over a pool of ${poolSize} (throughput-bound)`, baseline, concurrentRows),
      '',
      ...summary,
    ].join('\n');
  } finally {
    for (const pool of pools) await pool.end().catch(() => undefined);
    await benchDatabase.close();
  }
}
