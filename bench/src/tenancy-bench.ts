/**
 * Tenancy benchmark: the same tenant-scoped query, run as
 *  - a plain query on raw pg (baseline: one round trip, tenant fixed per session),
 *  - the usual pattern on raw pg: BEGIN, set_config, query, COMMIT (four round trips),
 *  - Strata's withTenant (BEGIN + setting + query pipelined, then COMMIT: two),
 *  - Strata's executeForTenant (setting + query before one Sync: one),
 * each with RLS doing the same filtering on the server.
 *
 * Run: pnpm bench tenancy   (DATABASE_URL=… to use a server instead of embedded PostgreSQL)
 */
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql, type Generated } from 'kysely';
import pg from 'pg';
import { createDb, executeForTenant, tenantPolicyStatements, withTenant } from '@strata/db-core';
import { openBenchDatabase } from './bench-database.js';
import { formatReportTable } from './report-table.js';
import { measureThroughput, type ThroughputSettings } from './throughput-runner.js';

interface Database {
  notes: { id: Generated<number>; tenant_id: string; body: string };
}

const tenantCount = 20;
const rowsPerTenant = 50;
const listQuery = 'select id, body from notes where tenant_id = $1 order by id limit 10';

export async function run(): Promise<string> {
  const benchDatabase = await openBenchDatabase('tenancy');
  const tenants = Array.from({ length: tenantCount }, () => randomUUID());
  const pickTenant = (() => {
    let next = 0;
    return () => tenants[(next++ % tenantCount)]!;
  })();
  const pools: pg.Pool[] = [];
  try {
    const setup = new pg.Pool({ connectionString: benchDatabase.url, max: 1 });
    pools.push(setup);
    await setup.query('create table notes (id serial primary key, tenant_id uuid not null, body text not null)');
    await setup.query('create index notes_tenant_idx on notes (tenant_id, id)');
    for (const statement of tenantPolicyStatements({ table: 'notes' })) await setup.query(statement);
    const role = new URL(benchDatabase.appUrl).username;
    await setup.query(`grant select, insert on notes to ${pg.escapeIdentifier(role)}`);
    await setup.query(
      `insert into notes (tenant_id, body) select t.id::uuid, 'note ' || g from unnest($1::text[]) as t(id), generate_series(1, $2) as g`,
      [tenants, rowsPerTenant],
    );
    await setup.query('analyze notes');

    const poolSize = 8;
    // The baseline runs the same statement under the same RLS policy, with the tenant set
    // once per session, so the server does identical work and only round trips differ.
    const sessionTenant = { connectionString: benchDatabase.appUrl, max: poolSize, options: `-c app.tenant_id=${tenants[0]}` };
    const plainPool = new pg.Pool(sessionTenant);
    const kyselyPlainPool = new pg.Pool(sessionTenant);
    kyselyPlainPool.on('error', () => undefined);
    const kyselyPlain = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPlainPool }) });
    const patternPool = new pg.Pool({ connectionString: benchDatabase.appUrl, max: poolSize });
    pools.push(plainPool, patternPool);
    // Raw pg crashes the process on an idle client's error unless someone listens; a real app
    // would, so the baselines do too (Strata's own pools have listeners built in).
    for (const pool of [plainPool, patternPool, setup]) pool.on('error', () => undefined);
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: patternPool }) });
    const strata = createDb<Database>({ connectionString: benchDatabase.appUrl, max: poolSize });

    const variants = [
      { name: 'raw pg: plain query (1 round trip)', operation: () => plainPool.query(listQuery, [tenants[0]]) },
      {
        name: 'Kysely: plain query (1 round trip)',
        note: 'query-builder baseline',
        operation: () =>
          kyselyPlain.selectFrom('notes').select(['id', 'body']).where('tenant_id', '=', tenants[0]!).orderBy('id').limit(10).execute(),
      },
      {
        name: 'raw pg: BEGIN, set_config, query, COMMIT',
        note: '4 round trips',
        operation: async () => {
          const client = await patternPool.connect();
          try {
            await client.query('begin');
            await client.query(`select set_config('app.tenant_id', $1, true)`, [pickTenant()]);
            await client.query(listQuery, [tenants[0]]);
            await client.query('commit');
          } finally {
            client.release();
          }
        },
      },
      {
        name: 'Kysely transaction + set_config (usual pattern)',
        note: '4 round trips',
        operation: () =>
          kysely.transaction().execute(async (trx) => {
            const tenant = pickTenant();
            await sql`select set_config('app.tenant_id', ${tenant}, true)`.execute(trx);
            return await trx.selectFrom('notes').select(['id', 'body']).where('tenant_id', '=', tenant).orderBy('id').limit(10).execute();
          }),
      },
      {
        name: 'Strata withTenant',
        note: '2 round trips',
        operation: () => {
          const tenant = pickTenant();
          return withTenant(strata, tenant, (trx) =>
            trx.selectFrom('notes').select(['id', 'body']).where('tenant_id', '=', tenant).orderBy('id').limit(10).execute(),
          );
        },
      },
      {
        name: 'Strata executeForTenant',
        note: '1 round trip',
        operation: () => {
          const tenant = pickTenant();
          return executeForTenant(
            strata,
            tenant,
            strata.selectFrom('notes').select(['id', 'body']).where('tenant_id', '=', tenant).orderBy('id').limit(10),
          );
        },
      },
    ];

    const quick = process.env.STRATA_BENCH_QUICK === '1';
    const sequential: ThroughputSettings = { concurrency: 1, durationMillis: quick ? 300 : 2_000, warmupMillis: quick ? 100 : 500, rounds: quick ? 1 : 5 };
    const concurrent: ThroughputSettings = { ...sequential, concurrency: 16 };
    const sequentialRows = await measureThroughput(variants, sequential);
    const concurrentRows = await measureThroughput(variants, concurrent);
    await kysely.destroy();
    await kyselyPlain.destroy();
    await strata.close();
    const baseline = variants[0]!.name;
    const ratio = (rows: typeof sequentialRows, name: string, base: string) =>
      (rows.find((row) => row.name === name)!.opsPerSecond / rows.find((row) => row.name === base)!.opsPerSecond).toFixed(2);
    const kyselyBaseline = variants[1]!.name;
    const summary = [sequentialRows, concurrentRows].map(
      (rows, index) =>
        `- ${index === 0 ? 'one at a time' : '16 in flight'}: executeForTenant = ${ratio(rows, 'Strata executeForTenant', kyselyBaseline)}× ` +
        `the Kysely plain query, withTenant = ${ratio(rows, 'Strata withTenant', kyselyBaseline)}×, ` +
        `the usual Kysely pattern = ${ratio(rows, 'Kysely transaction + set_config (usual pattern)', kyselyBaseline)}×`,
    );
    return [
      `## Tenancy (${benchDatabase.serverDescription}, node ${process.version}, ${tenantCount} tenants × ${rowsPerTenant} rows, RLS on)`,
      '',
      formatReportTable('One request at a time (latency-bound: round trips dominate)', baseline, sequentialRows),
      '',
      formatReportTable(`16 requests in flight over a pool of ${poolSize} (throughput-bound)`, baseline, concurrentRows),
      '',
      'Same query through the same query builder (ratios to "Kysely: plain query"):',
      '',
      ...summary,
    ].join('\n');
  } finally {
    for (const pool of pools) await pool.end().catch(() => undefined);
    await benchDatabase.close();
  }
}
