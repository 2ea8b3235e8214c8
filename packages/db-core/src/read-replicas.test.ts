import { randomUUID } from 'node:crypto';
import { sql, type Generated } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplicatedCluster, withDatabase, type ReplicatedCluster } from '@strata/testkit';
import { createDb, type StrataDb } from './create-db.js';
import { isReplicaSafeRead } from './read-only-query.js';
import { tenantPolicyStatements } from './tenant-policy-sql.js';
import { executeForTenant, withTenant } from './tenant-scope.js';

interface Database {
  notes: { id: Generated<number>; tenant_id: string; body: string };
}

/**
 * A real primary and a real streaming replica (a base backup of the primary, hot standby).
 * Every query reports which server ran it through pg_is_in_recovery().
 */
let cluster: ReplicatedCluster;
let db: StrataDb<Database>;
const tenantA = randomUUID();
const tenantB = randomUUID();
const appPassword = randomUUID();

beforeAll(async () => {
  cluster = await startReplicatedCluster();
  const admin = new pg.Client({ connectionString: cluster.primaryUrl });
  await admin.connect();
  await admin.query(`create role app login nosuperuser nobypassrls password '${appPassword}'`);
  await admin.query('create table notes (id serial primary key, tenant_id uuid not null, body text not null)');
  await admin.query('create index on notes (tenant_id)');
  for (const statement of tenantPolicyStatements({ table: 'notes' })) await admin.query(statement);
  await admin.query('grant select, insert on notes to app');
  await admin.query('grant usage on sequence notes_id_seq to app');
  await admin.end();
  await cluster.waitForReplication();
  const credentials = { user: 'app', password: appPassword };
  db = createDb<Database>({
    connectionString: withDatabase(cluster.primaryUrl, 'postgres', credentials),
    replicas: [withDatabase(cluster.replicaUrl, 'postgres', credentials)],
    replicaRecoveryMillis: 500,
    connectionTimeoutMillis: 1_000,
  });
}, 120_000);

afterAll(async () => {
  await db?.close();
  await cluster?.stop();
});

const servedBy = (source: StrataDb<Database> | typeof db.primary) =>
  source
    .selectFrom(sql<{ in_recovery: boolean }>`(select pg_is_in_recovery() as in_recovery)`.as('server'))
    .select('in_recovery')
    .executeTakeFirstOrThrow()
    .then((row) => (row.in_recovery ? 'replica' : 'primary'));

describe('read replicas', () => {
  it('sends plain reads to the replica and writes, transactions and db.primary to the primary', async () => {
    expect(await servedBy(db)).toBe('replica');
    expect(await servedBy(db.primary)).toBe('primary');
    const inTransaction = await db.transaction().execute((trx) =>
      trx
        .selectFrom(sql<{ in_recovery: boolean }>`(select pg_is_in_recovery() as in_recovery)`.as('server'))
        .select('in_recovery')
        .executeTakeFirstOrThrow(),
    );
    expect(inTransaction.in_recovery).toBe(false);
    await withTenant(db, tenantA, (trx) => trx.insertInto('notes').values({ tenant_id: tenantA, body: 'a' }).execute());
    await withTenant(db, tenantB, (trx) => trx.insertInto('notes').values({ tenant_id: tenantB, body: 'b' }).execute());
  });

  it('classifies only builder-made plain selects as replica-safe', () => {
    expect(isReplicaSafeRead(db.selectFrom('notes').selectAll().compile())).toBe(true);
    expect(isReplicaSafeRead(db.selectFrom('notes').selectAll().forUpdate().compile())).toBe(false);
    expect(isReplicaSafeRead(db.insertInto('notes').values({ tenant_id: tenantA, body: 'x' }).compile())).toBe(false);
    expect(isReplicaSafeRead(sql`select 1`.compile(db))).toBe(false);
    expect(
      isReplicaSafeRead(
        db
          .with('moved', (qb) => qb.deleteFrom('notes').returningAll())
          .selectFrom('moved')
          .selectAll()
          .compile(),
      ),
    ).toBe(false);
  });

  it('keeps tenant isolation on the replica, and tenant statements on the primary unless asked', async () => {
    await cluster.waitForReplication();
    const fromReplica = await executeForTenant(db, tenantA, db.selectFrom('notes').select(['body', sql<boolean>`pg_is_in_recovery()`.as('replica')]), {
      replica: true,
    });
    expect(fromReplica).toEqual([{ body: 'a', replica: true }]);
    const fromPrimary = await executeForTenant(db, tenantB, db.selectFrom('notes').select(['body', sql<boolean>`pg_is_in_recovery()`.as('replica')]));
    expect(fromPrimary).toEqual([{ body: 'b', replica: false }]);
    // No tenant: the replica's RLS fails closed like the primary's.
    expect(await db.selectFrom('notes').selectAll().execute()).toEqual([]);
  });

  it('falls back to the primary while the replica is down, and returns to it when it is back', async () => {
    await cluster.stopReplica();
    expect(await servedBy(db)).toBe('primary');
    expect(await servedBy(db)).toBe('primary');
    await cluster.startReplica();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await servedBy(db)).toBe('replica');
  });
});
