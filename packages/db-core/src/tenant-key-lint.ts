import { sql, type Kysely } from 'kysely';
import { quoteIdentifier } from './sql-identifier.js';

/** A key on a tenant table that Citus could not enforce once tables are distributed by tenant. */
export interface TenantKeyProblem {
  readonly kind: 'primary-key' | 'unique-constraint' | 'unique-index' | 'foreign-key' | 'missing-primary-key';
  /** `schema.table` */
  readonly table: string;
  /** Constraint or index name (absent for `missing-primary-key`). */
  readonly name?: string;
  readonly message: string;
}

/** What `lintTenantKeys` found. */
export interface TenantKeyLintReport {
  readonly ok: boolean;
  /** Tables (`schema.table`) with the tenant column: the ones that would be distributed. */
  readonly tenantTables: readonly string[];
  readonly problems: readonly TenantKeyProblem[];
}

/** Options of `lintTenantKeys`. */
export interface TenantKeyLintOptions {
  /** Default `tenant_id`. */
  readonly tenantColumn?: string;
  /** Default `['public']`. */
  readonly schemas?: readonly string[];
  /** Tables (`schema.table`) to leave out. */
  readonly ignoreTables?: readonly string[];
}

interface KeyRow {
  table_name: string;
  key_name: string | null;
  key_kind: 'p' | 'u' | 'f' | 'i' | 'none';
  includes_tenant: boolean;
  references_table: string | null;
  references_tenant_table: boolean;
  references_by_tenant: boolean;
}

/**
 * Lints tenant tables for distribution by tenant (Citus): every primary key, unique
 * constraint and unique index must include the tenant column, and every foreign key to
 * another tenant table must include it on both sides (foreign keys to tables without the
 * tenant column are fine: those become reference tables). Citus cannot enforce keys that
 * break these rules once tables are distributed. One round trip.
 *
 * @example
 * const report = await lintTenantKeys(db, { tenantColumn: 'organization_id' });
 * for (const problem of report.problems) console.warn(problem.message);
 */
export async function lintTenantKeys(db: Kysely<any>, options: TenantKeyLintOptions = {}): Promise<TenantKeyLintReport> {
  const tenantColumn = options.tenantColumn ?? 'tenant_id';
  quoteIdentifier(tenantColumn, 'tenant column');
  const schemas = options.schemas ?? ['public'];
  for (const schema of schemas) quoteIdentifier(schema, 'schema');
  const ignored = new Set(options.ignoreTables ?? []);

  const { rows } = await sql<KeyRow>`
    with tenant_tables as (
      select c.oid, n.nspname || '.' || c.relname as table_name, a.attnum as tenant_attnum
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = ${tenantColumn} and not a.attisdropped
      where c.relkind in ('r', 'p') and not c.relispartition and n.nspname = any(${[...schemas]}::text[])
    ),
    keys as (
      select t.table_name, con.conname::text as key_name, con.contype::text as key_kind,
             t.tenant_attnum = any(con.conkey) as includes_tenant,
             ref.table_name as references_table,
             ref.oid is not null as references_tenant_table,
             coalesce(
               exists (
                 select 1 from unnest(con.conkey, con.confkey) as pair(local_attnum, foreign_attnum)
                 where pair.local_attnum = t.tenant_attnum and pair.foreign_attnum = ref.tenant_attnum
               ),
               false
             ) as references_by_tenant
      from tenant_tables t
      join pg_constraint con on con.conrelid = t.oid and con.contype in ('p', 'u', 'f')
      left join tenant_tables ref on con.contype = 'f' and ref.oid = con.confrelid
      union all
      select t.table_name, ic.relname::text, 'i', t.tenant_attnum = any(i.indkey::int2[]), null, false, false
      from tenant_tables t
      join pg_index i on i.indrelid = t.oid and i.indisunique
      join pg_class ic on ic.oid = i.indexrelid
      where not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)
      union all
      select t.table_name, null, 'none', false, null, false, false
      from tenant_tables t
      where not exists (select 1 from pg_constraint con where con.conrelid = t.oid and con.contype = 'p')
    )
    select * from keys order by table_name, key_kind, key_name
  `.execute(db);

  const tenantTables = new Set<string>();
  const problems: TenantKeyProblem[] = [];
  for (const row of rows) {
    if (ignored.has(row.table_name)) continue;
    tenantTables.add(row.table_name);
    const name = row.key_name ?? undefined;
    if (row.key_kind === 'none') {
      problems.push({ kind: 'missing-primary-key', table: row.table_name, message: `${row.table_name} has no primary key` });
    } else if (row.key_kind === 'p' && !row.includes_tenant) {
      problems.push({ kind: 'primary-key', table: row.table_name, name: row.key_name!, message: `${row.table_name}: primary key ${name} does not include ${tenantColumn}` });
    } else if (row.key_kind === 'u' && !row.includes_tenant) {
      problems.push({ kind: 'unique-constraint', table: row.table_name, name: row.key_name!, message: `${row.table_name}: unique constraint ${name} does not include ${tenantColumn}` });
    } else if (row.key_kind === 'i' && !row.includes_tenant) {
      problems.push({ kind: 'unique-index', table: row.table_name, name: row.key_name!, message: `${row.table_name}: unique index ${name} does not include ${tenantColumn}` });
    } else if (row.key_kind === 'f' && row.references_tenant_table && !row.references_by_tenant) {
      problems.push({
        kind: 'foreign-key',
        table: row.table_name,
        name: row.key_name!,
        message: `${row.table_name}: foreign key ${name} to tenant table ${row.references_table} does not match on ${tenantColumn}`,
      });
    }
  }
  // Tables with no keys at all still count as tenant tables.
  return { ok: problems.length === 0, tenantTables: [...tenantTables], problems };
}
