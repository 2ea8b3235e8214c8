import { randomUUID } from 'node:crypto';
import { sql as drizzleSql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect, pgTable, serial, text, uuid } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@strata/testkit';
import { forceRowLevelSecuritySql, InvalidTenantError, tenantIsolationPolicy, withTenant } from './drizzle.js';
import { InvalidTenantError as CoreInvalidTenantError, RowLevelSecurityError } from './index.js';

const notes = pgTable('notes', { id: serial('id').primaryKey(), tenantId: uuid('tenant_id').notNull(), body: text('body').notNull() }, () => [
  tenantIsolationPolicy(),
]);

const database = useTestDatabase();
let ownerPool: pg.Pool;
let appPool: pg.Pool;
const tenantA = randomUUID();
const tenantB = randomUUID();

beforeAll(async () => {
  ownerPool = new pg.Pool({ connectionString: database.ownerUrl });
  appPool = new pg.Pool({ connectionString: database.appUrl, max: 2 });
  const policy = tenantIsolationPolicy();
  const using = new PgDialect().sqlToQuery(policy.using!).sql;
  await ownerPool.query('create table notes (id serial primary key, tenant_id uuid not null, body text not null)');
  await ownerPool.query('alter table notes enable row level security');
  await ownerPool.query(forceRowLevelSecuritySql('notes'));
  await ownerPool.query(`create policy ${policy.name} on notes for all to public using (${using}) with check (${using})`);
});

afterAll(async () => {
  await ownerPool?.end();
  await appPool?.end();
});

describe('@strata/db-core/drizzle', () => {
  it('scopes a Drizzle transaction to the tenant and leaves none behind', async () => {
    const db = drizzle(appPool);
    await withTenant(db, tenantA, (tx) => tx.insert(notes).values({ tenantId: tenantA, body: 'a' }));
    await withTenant(db, tenantB, (tx) => tx.insert(notes).values({ tenantId: tenantB, body: 'b' }), { mode: 'set-local' });
    const rows = await withTenant(db, tenantA, (tx) => tx.select({ body: notes.body }).from(notes));
    expect(rows).toEqual([{ body: 'a' }]);
    expect(await db.select().from(notes)).toEqual([]);
    const setting = await db.execute(drizzleSql`select current_setting('app.tenant_id', true) as value`);
    expect(setting.rows[0]).toEqual({ value: '' });
  });

  it('refuses a cross-tenant write and invalid ids before SQL', async () => {
    const db = drizzle(appPool);
    const crossTenant = await withTenant(db, tenantA, (tx) => tx.insert(notes).values({ tenantId: tenantB, body: 'x' })).catch((caught: unknown) => caught);
    expect(crossTenant).toBeInstanceOf(RowLevelSecurityError);
    expect((crossTenant as Error).message).not.toContain(tenantB);
    const error = await withTenant(db, "'; drop table notes; --", async () => 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidTenantError);
    // The same error class matches across entry points (separately bundled copies).
    expect(error).toBeInstanceOf(CoreInvalidTenantError);
  });

  it('builds the policy with the once-per-statement, fail-closed expression', () => {
    const policy = tenantIsolationPolicy({ settingName: 'app.organization_id', tenantColumn: 'organization_id' });
    const text = new PgDialect().sqlToQuery(policy.withCheck!).sql;
    expect(text).toBe(`"organization_id" = (select nullif(current_setting('app.organization_id', true), '')::uuid)`);
    expect(policy.for).toBe('all');
  });
});
