import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@strata/testkit';
import { createDb, type StrataDb } from './create-db.js';
import { ConfigurationError } from './index.js';
import { checkTenantIsolation } from './tenant-isolation-check.js';
import { tenantPolicyStatements, tenantPolicySql } from './tenant-policy-sql.js';
import { withTenant } from './tenant-scope.js';

const database = useTestDatabase();
let owner: StrataDb<any>;
let app: StrataDb<any>;
let admin: StrataDb<any>;

beforeAll(async () => {
  owner = createDb({ connectionString: database.ownerUrl });
  app = createDb({ connectionString: database.appUrl });
  admin = createDb({ connectionString: database.adminUrl });
  await sql`create table projects (id serial primary key, tenant_id uuid not null, name text)`.execute(owner);
  await sql`create index on projects (tenant_id, id)`.execute(owner);
  for (const statement of tenantPolicyStatements({ table: 'projects' })) await sql.raw(statement).execute(owner);
  await sql`create table settings (id serial primary key, name text)`.execute(owner);
});

afterAll(async () => {
  await Promise.all([owner?.close(), app?.close(), admin?.close()]);
});

describe('checkTenantIsolation', () => {
  it('passes for the app role over a properly protected table', async () => {
    const report = await checkTenantIsolation(app);
    expect(report).toMatchObject({ ok: true, role: database.appRole, tenantTables: ['public.projects'], problems: [] });
  });

  it('reports a table without RLS, without FORCE, without policy and without tenant index', async () => {
    await sql`create table leaky (id serial primary key, tenant_id uuid not null)`.execute(owner);
    await sql`create table half (id serial primary key, tenant_id uuid not null)`.execute(owner);
    await sql`alter table half enable row level security`.execute(owner);
    const report = await checkTenantIsolation(app);
    expect(report.ok).toBe(false);
    const kinds = report.problems.map((problem) => `${problem.kind}:${problem.table}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'rls-not-enabled:public.leaky',
        'rls-not-forced:public.leaky',
        'missing-tenant-index:public.leaky',
        'rls-not-forced:public.half',
        'no-policy:public.half',
      ]),
    );
    expect(kinds.some((kind) => kind.endsWith('public.projects'))).toBe(false);
    const ignored = await checkTenantIsolation(app, { ignoreTables: ['public.leaky', 'public.half'] });
    expect(ignored.ok).toBe(true);
    await sql`drop table leaky, half`.execute(owner);
  });

  it('reports an owner and a superuser, which bypass RLS', async () => {
    const asOwner = await checkTenantIsolation(owner);
    expect(asOwner.problems.map((problem) => problem.kind)).toEqual(['owns-tenant-table']);
    const asAdmin = await checkTenantIsolation(admin);
    expect(asAdmin.problems.map((problem) => problem.kind)).toContain('superuser');
  });

  it('validates its identifiers before SQL', async () => {
    await expect(checkTenantIsolation(app, { tenantColumn: 'x; drop table projects' })).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('tenant policy SQL', () => {
  it('evaluates the tenant setting once per statement (an InitPlan), not per row', async () => {
    const { rows } = await withTenant(app, '00000000-0000-4000-8000-000000000001', (trx) =>
      sql<{ 'QUERY PLAN': string }>`explain select * from projects`.execute(trx),
    );
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/InitPlan/);
  });

  it('refuses identifiers that could carry SQL', () => {
    expect(() => tenantPolicySql({ table: 'projects; drop table x' })).toThrow(ConfigurationError);
    expect(() => tenantPolicySql({ table: 'projects', tenantColumn: 'a"b' })).toThrow(ConfigurationError);
    expect(() => tenantPolicySql({ table: 'projects', settingName: "app.x'; --" })).toThrow(ConfigurationError);
    expect(() => tenantPolicySql({ table: 'projects', columnType: 'uuid; drop' as never })).toThrow(ConfigurationError);
  });

  it('produces ENABLE, FORCE and one policy with USING and WITH CHECK', () => {
    const script = tenantPolicySql({ table: 'projects', role: 'app' });
    expect(script).toContain('enable row level security');
    expect(script).toContain('force row level security');
    expect(script).toMatch(/for all to "app" using \("tenant_id" = \(select nullif\(current_setting\('app.tenant_id', true\), ''\)::uuid\)\) with check/);
  });
});
