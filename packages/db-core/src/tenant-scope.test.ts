import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql, type Generated } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@strata/testkit';
import { createDb, type StrataDb } from './create-db.js';
import { InvalidTenantError, RowLevelSecurityError } from './index.js';
import { tenantPolicyStatements } from './tenant-policy-sql.js';
import { defineTenancy, executeForTenant, withTenant } from './tenant-scope.js';

interface Database {
  notes: { id: Generated<number>; tenant_id: string; body: string };
}

const database = useTestDatabase();
let db: StrataDb<Database>;
let owner: StrataDb<Database>;
let admin: StrataDb<Database>;
const tenantA = randomUUID();
const tenantB = randomUUID();

async function currentTenant(executor: Kysely<any>): Promise<string | null> {
  const { rows } = await sql<{ value: string | null }>`select current_setting('app.tenant_id', true) as value`.execute(executor);
  return rows[0]!.value;
}

beforeAll(async () => {
  owner = createDb<Database>({ connectionString: database.ownerUrl });
  await sql`create table notes (id serial primary key, tenant_id uuid not null, body text not null)`.execute(owner);
  await sql`create index notes_tenant_idx on notes (tenant_id)`.execute(owner);
  for (const statement of tenantPolicyStatements({ table: 'notes' })) await sql.raw(statement).execute(owner);
  db = createDb<Database>({ connectionString: database.appUrl, max: 2 });
  // Verification reads go through a superuser: FORCE makes even the owner subject to RLS.
  admin = createDb<Database>({ connectionString: database.adminUrl, max: 1 });
});

/** Counts ReadyForQuery messages (one per round trip) on a single-connection db. */
async function countRoundTrips(single: StrataDb<Database>, work: () => Promise<unknown>): Promise<number> {
  const client = (await single.pool.connect()) as pg.PoolClient & { connection: pg.Connection };
  let roundTrips = 0;
  const count = () => {
    roundTrips += 1;
  };
  client.connection.on('readyForQuery', count);
  client.release();
  try {
    await work();
  } finally {
    client.connection.off('readyForQuery', count);
  }
  return roundTrips;
}

afterAll(async () => {
  await db?.close();
  await owner?.close();
  await admin?.close();
});

describe('withTenant', () => {
  it('scopes reads and writes to the tenant through RLS', async () => {
    await withTenant(db, tenantA, (trx) => trx.insertInto('notes').values({ tenant_id: tenantA, body: 'a1' }).execute());
    await withTenant(db, tenantB, (trx) => trx.insertInto('notes').values({ tenant_id: tenantB, body: 'b1' }).execute());
    const seenByA = await withTenant(db, tenantA, (trx) => trx.selectFrom('notes').select('body').execute());
    expect(seenByA).toEqual([{ body: 'a1' }]);
  });

  it('refuses a write into another tenant with a typed error and keeps nothing', async () => {
    await expect(
      withTenant(db, tenantA, (trx) => trx.insertInto('notes').values({ tenant_id: tenantB, body: 'smuggled' }).execute()),
    ).rejects.toBeInstanceOf(RowLevelSecurityError);
    const { rows } = await sql<{ count: string }>`select count(*) from notes where body = 'smuggled'`.execute(admin);
    expect(rows[0]!.count).toBe('0');
  });

  it('fails closed with no tenant: reads see nothing, writes are refused', async () => {
    expect(await db.selectFrom('notes').selectAll().execute()).toEqual([]);
    await expect(db.insertInto('notes').values({ tenant_id: tenantA, body: 'x' }).execute()).rejects.toBeInstanceOf(RowLevelSecurityError);
  });

  it('leaves the connection with no tenant after commit and after rollback', async () => {
    await db.connection().execute(async (connection) => {
      await withTenant(connection, tenantA, async (trx) => {
        expect(await currentTenant(trx)).toBe(tenantA);
      });
      expect(await currentTenant(connection)).toBe('');
      await expect(
        withTenant(connection, tenantA, async (trx) => {
          expect(await currentTenant(trx)).toBe(tenantA);
          throw new Error('roll me back');
        }),
      ).rejects.toThrow('roll me back');
      expect(await currentTenant(connection)).toBe('');
    });
  });

  it('passes the validated tenant id to the callback', async () => {
    const upper = tenantA.toUpperCase();
    const seen = await withTenant(db, upper, async (_trx, tenantId) => tenantId);
    expect(seen).toBe(tenantA);
  });

  it('rejects invalid tenant ids before any SQL is sent', async () => {
    const hostile: unknown[] = [
      "'; drop table notes; --",
      `${tenantA}'; select 1; --`,
      '',
      ' ',
      42,
      null,
      undefined,
      { id: tenantA },
      [tenantA],
      `${tenantA}\u0000`,
      tenantA.replace(/-/g, ''),
      'a'.repeat(100_000),
    ];
    // A fresh pool: if any SQL were sent, it would have had to open a connection.
    const fresh = createDb<Database>({ connectionString: database.appUrl });
    try {
      for (const value of hostile) {
        await expect(withTenant(fresh, value, async () => 'ran')).rejects.toBeInstanceOf(InvalidTenantError);
        await expect(executeForTenant(fresh, value, fresh.selectFrom('notes').selectAll())).rejects.toBeInstanceOf(InvalidTenantError);
      }
      expect(fresh.pool.totalCount).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('never echoes the hostile value in the error message', async () => {
    const error = await withTenant(db, "'; drop table notes; --", async () => 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidTenantError);
    expect((error as Error).message).not.toContain('drop table');
  });
});

describe('executeForTenant', () => {
  it('runs one statement as the tenant and leaves no tenant behind', async () => {
    const rows = await executeForTenant(db, tenantB, db.selectFrom('notes').select('body'));
    expect(rows).toEqual([{ body: 'b1' }]);
    await db.connection().execute(async (connection) => {
      await executeForTenant(connection, tenantA, connection.selectFrom('notes').select('body'));
      expect(await currentTenant(connection)).toBe('');
    });
  });

  it('rolls back a failed single statement and maps its error', async () => {
    await expect(
      executeForTenant(db, tenantA, db.insertInto('notes').values({ tenant_id: tenantB, body: 'cross' }).returning('id')),
    ).rejects.toBeInstanceOf(RowLevelSecurityError);
    const rows = await executeForTenant(db, tenantA, db.insertInto('notes').values({ tenant_id: tenantA, body: 'a2' }).returning('body'));
    expect(rows).toEqual([{ body: 'a2' }]);
  });

  it('costs exactly one round trip per call, where withTenant costs statements + 1', async () => {
    const single = createDb<Database>({ connectionString: database.appUrl, max: 1 });
    try {
      const select = () => single.selectFrom('notes').select('body');
      expect(await countRoundTrips(single, () => executeForTenant(single, tenantA, select()))).toBe(1);
      expect(await countRoundTrips(single, () => select().execute())).toBe(1);
      expect(await countRoundTrips(single, () => withTenant(single, tenantA, (trx) => trx.selectFrom('notes').select('body').execute()))).toBe(2);
      expect(
        await countRoundTrips(single, () =>
          withTenant(single, tenantA, async (trx) => {
            await trx.selectFrom('notes').select('body').execute();
            await trx.selectFrom('notes').select('id').execute();
          }),
        ),
      ).toBe(3);
      // A transaction that runs nothing sends nothing.
      expect(await countRoundTrips(single, () => withTenant(single, tenantA, async () => undefined))).toBe(0);
    } finally {
      await single.close();
    }
  });
});

describe('prepared tenant context', () => {
  it('prepares set_config once per direct connection and recovers if it is deallocated', async () => {
    const single = createDb<Database>({ connectionString: database.directAppUrl, max: 1 });
    const select = () => single.selectFrom('notes').select('body');
    const prepared = () =>
      single.connection().execute(async (connection) =>
        (await sql<{ name: string }>`select name from pg_prepared_statements`.execute(connection)).rows.map((row) => row.name),
      );
    try {
      expect(await executeForTenant(single, tenantB, select())).toEqual([{ body: 'b1' }]);
      expect(await prepared()).toEqual(['strata_set_config']);
      await sql`deallocate all`.execute(single);
      expect(await executeForTenant(single, tenantB, select())).toEqual([{ body: 'b1' }]);
      await sql`deallocate all`.execute(single);
      // Inside a transaction BEGIN already ran, so the failure surfaces once…
      await expect(withTenant(single, tenantB, (trx) => trx.selectFrom('notes').select('body').execute(), { retries: 0 })).rejects.toMatchObject({
        code: '26000',
      });
      // …and the next transaction prepares the statement again.
      expect(await withTenant(single, tenantB, (trx) => trx.selectFrom('notes').select('body').execute())).toEqual([{ body: 'b1' }]);
      expect(await prepared()).toEqual(['strata_set_config']);
    } finally {
      await single.close();
    }
  });

  it('never prepares in transaction-local (pooler) mode', async () => {
    const pooled = createDb<Database>({ connectionString: database.appUrl, max: 1, sessionSettings: 'transaction-local' });
    try {
      expect(await executeForTenant(pooled, tenantB, pooled.selectFrom('notes').select('body'))).toEqual([{ body: 'b1' }]);
      const { rows } = await sql<{ count: string }>`select count(*) from pg_prepared_statements`.execute(pooled);
      expect(rows[0]!.count).toBe('0');
    } finally {
      await pooled.close();
    }
  });
});

describe('other Kysely drivers', () => {
  it('still scope correctly (with an explicit transaction) on a plain PostgresDialect', async () => {
    const pool = new pg.Pool({ connectionString: database.appUrl, max: 1 });
    const plain = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      expect(await executeForTenant(plain, tenantB, plain.selectFrom('notes').select('body'))).toEqual([{ body: 'b1' }]);
      expect(await withTenant(plain, tenantB, (trx) => trx.selectFrom('notes').select('body').execute())).toEqual([{ body: 'b1' }]);
      expect(await currentTenant(plain)).toBe('');
    } finally {
      await plain.destroy();
    }
  });
});

describe('set-local mode (Citus)', () => {
  it('scopes the transaction with an escaped SET LOCAL', async () => {
    const citus = defineTenancy({ mode: 'set-local' });
    const rows = await citus.withTenant(db, tenantA, (trx) => trx.selectFrom('notes').select('body').orderBy('body').execute());
    expect(rows.map((row) => row.body)).toEqual(['a1', 'a2']);
    const single = await citus.executeForTenant(db, tenantB, db.selectFrom('notes').select('body'));
    expect(single).toEqual([{ body: 'b1' }]);
  });
});

describe('isolation under interleaving', () => {
  it('two tenants interleaved over a pool of 2 for thousands of operations never cross', async () => {
    const operations = 2_000;
    const work = Array.from({ length: operations }, async (_unused, index) => {
      const tenant = index % 2 === 0 ? tenantA : tenantB;
      if (index % 3 === 0) {
        const rows = await executeForTenant(db, tenant, db.selectFrom('notes').select('tenant_id'));
        return rows.every((row) => row.tenant_id === tenant) ? 0 : rows.length;
      }
      return await withTenant(db, tenant, async (trx) => {
        if (index % 5 === 0) {
          await trx.insertInto('notes').values({ tenant_id: tenant, body: `n${index}` }).execute();
        }
        const rows = await trx.selectFrom('notes').select('tenant_id').execute();
        return rows.filter((row) => row.tenant_id !== tenant).length;
      });
    });
    const crossed = (await Promise.all(work)).reduce((sum, value) => sum + value, 0);
    expect(crossed).toBe(0);
    const { rows } = await sql<{ tenant_id: string; count: string }>`
      select tenant_id, count(*) from notes group by tenant_id order by tenant_id`.execute(admin);
    expect(rows.map((row) => row.tenant_id).sort()).toEqual([tenantA, tenantB].sort());
    const pooled = await Promise.all([
      db.connection().execute((connection) => currentTenant(connection)),
      db.connection().execute((connection) => currentTenant(connection)),
    ]);
    expect(pooled).toEqual(['', '']);
  });
});
