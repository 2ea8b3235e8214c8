import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@strata/testkit';
import { createDb, type StrataDb } from './create-db.js';
import { ConfigurationError } from './index.js';
import { lintTenantKeys } from './tenant-key-lint.js';

const database = useTestDatabase();
let db: StrataDb<any>;

beforeAll(async () => {
  db = createDb({ connectionString: database.ownerUrl });
  await sql`create table accounts (id uuid primary key, email text unique)`.execute(db);
  await sql`create table projects (tenant_id uuid not null, id uuid not null, slug text not null,
    primary key (tenant_id, id), unique (tenant_id, slug))`.execute(db);
  await sql`create table tasks (tenant_id uuid not null, id uuid not null, project_id uuid not null, owner_id uuid references accounts(id),
    primary key (tenant_id, id), foreign key (tenant_id, project_id) references projects (tenant_id, id))`.execute(db);
});

afterAll(async () => {
  await db?.close();
});

describe('lintTenantKeys', () => {
  it('accepts keys that include the tenant column and FKs to reference tables', async () => {
    const report = await lintTenantKeys(db);
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect([...report.tenantTables].sort()).toEqual(['public.projects', 'public.tasks']);
  });

  it('reports each kind of key Citus could not enforce', async () => {
    await sql`create table comments (id uuid primary key, tenant_id uuid not null, task_id uuid not null, code text,
      unique (code), foreign key (tenant_id, task_id) references tasks (tenant_id, id))`.execute(db);
    await sql`create table labels (tenant_id uuid not null, project_id uuid not null references projects (id) deferrable, name text)`.execute(db).catch(() => undefined);
    await sql`create table labels (tenant_id uuid not null, id uuid not null, project_id uuid not null, name text, primary key (tenant_id, id))`.execute(db);
    await sql`alter table projects add constraint projects_id_key unique (id)`.execute(db);
    await sql`alter table labels add constraint labels_project_fkey foreign key (project_id) references projects (id)`.execute(db);
    await sql`create unique index labels_name_idx on labels (name)`.execute(db);
    await sql`create table audit (tenant_id uuid not null, message text)`.execute(db);
    const report = await lintTenantKeys(db);
    expect(report.ok).toBe(false);
    expect(report.problems.map((problem) => `${problem.kind} ${problem.table} ${problem.name ?? ''}`.trim()).sort()).toEqual(
      [
        'missing-primary-key public.audit',
        'primary-key public.comments comments_pkey',
        'unique-constraint public.comments comments_code_key',
        'unique-constraint public.projects projects_id_key',
        'foreign-key public.labels labels_project_fkey',
        'unique-index public.labels labels_name_idx',
      ].sort(),
    );
  });

  it('validates identifiers before SQL', async () => {
    await expect(lintTenantKeys(db, { tenantColumn: "x'; drop table accounts; --" })).rejects.toBeInstanceOf(ConfigurationError);
  });
});
