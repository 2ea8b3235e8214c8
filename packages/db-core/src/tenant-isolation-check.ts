import { sql, type Kysely } from 'kysely';
import { quoteIdentifier } from './sql-identifier.js';

/** One reason row-level security would silently not protect tenant data. */
export interface TenantIsolationProblem {
  readonly kind:
    | 'superuser'
    | 'bypass-rls'
    | 'owns-tenant-table'
    | 'rls-not-enabled'
    | 'rls-not-forced'
    | 'no-policy'
    | 'missing-tenant-index';
  /** `schema.table`, for table-level problems. */
  readonly table?: string;
  readonly message: string;
}

/** What `checkTenantIsolation` found. */
export interface TenantIsolationReport {
  /** True when no problem was found. */
  readonly ok: boolean;
  /** The role the check ran as (the one your app connects with). */
  readonly role: string;
  /** Every table (`schema.table`) that has the tenant column. */
  readonly tenantTables: readonly string[];
  readonly problems: readonly TenantIsolationProblem[];
}

/** Options of `checkTenantIsolation`. */
export interface TenantIsolationCheckOptions {
  /** Default `tenant_id`. */
  readonly tenantColumn?: string;
  /** Schemas to inspect. Default `['public']`. */
  readonly schemas?: readonly string[];
  /** Tables (`schema.table`) to leave out, e.g. a tenants registry that has the column. */
  readonly ignoreTables?: readonly string[];
}

interface RoleRow {
  role: string;
  superuser: boolean;
  bypass_rls: boolean;
  tables: Array<{
    name: string;
    owned: boolean;
    rls_enabled: boolean;
    rls_forced: boolean;
    policy_count: number;
    has_tenant_index: boolean;
  }> | null;
}

/**
 * Reports every reason RLS would silently not protect tenant data for the role `db`
 * connects as: the role is superuser or has BYPASSRLS (both skip every policy), or owns a
 * tenant table (owners skip policies unless FORCE); a table with the tenant column lacks
 * ENABLE or FORCE row level security or has no policy; or a tenant table has no index
 * leading with the tenant column (every tenant-scoped query would scan the whole table).
 * One round trip. Run it at startup and refuse to serve when `ok` is false.
 *
 * @example
 * const report = await checkTenantIsolation(db);
 * if (!report.ok) throw new Error(report.problems.map((p) => p.message).join('\n'));
 */
export async function checkTenantIsolation(db: Kysely<any>, options: TenantIsolationCheckOptions = {}): Promise<TenantIsolationReport> {
  const tenantColumn = options.tenantColumn ?? 'tenant_id';
  quoteIdentifier(tenantColumn, 'tenant column');
  const schemas = options.schemas ?? ['public'];
  for (const schema of schemas) quoteIdentifier(schema, 'schema');
  const ignored = new Set(options.ignoreTables ?? []);

  const { rows } = await sql<RoleRow>`
    select
      current_user as role,
      r.rolsuper as superuser,
      r.rolbypassrls as bypass_rls,
      (
        select json_agg(json_build_object(
          'name', n.nspname || '.' || c.relname,
          'owned', pg_has_role(current_user, c.relowner, 'USAGE'),
          'rls_enabled', c.relrowsecurity,
          'rls_forced', c.relforcerowsecurity,
          'policy_count', (select count(*) from pg_policy p where p.polrelid = c.oid),
          'has_tenant_index', exists (
            select 1 from pg_index i where i.indrelid = c.oid and i.indkey[0] = a.attnum
          )
        ) order by n.nspname, c.relname)
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attname = ${tenantColumn} and not a.attisdropped
        where c.relkind in ('r', 'p') and n.nspname = any(${[...schemas]}::text[])
          and not c.relispartition
      ) as tables
    from pg_roles r
    where r.rolname = current_user
  `.execute(db);
  const row = rows[0];
  if (!row) throw new Error('checkTenantIsolation: the current role was not found in pg_roles');

  const problems: TenantIsolationProblem[] = [];
  if (row.superuser) {
    problems.push({ kind: 'superuser', message: `Role ${row.role} is a superuser: row-level security never applies to it` });
  }
  if (row.bypass_rls) {
    problems.push({ kind: 'bypass-rls', message: `Role ${row.role} has BYPASSRLS: row-level security never applies to it` });
  }
  const tables = (row.tables ?? []).filter((table) => !ignored.has(table.name));
  for (const table of tables) {
    if (table.owned) {
      problems.push({
        kind: 'owns-tenant-table',
        table: table.name,
        message: `Role ${row.role} owns ${table.name}: connect as a role that owns nothing (owners can disable RLS)`,
      });
    }
    if (!table.rls_enabled) {
      problems.push({ kind: 'rls-not-enabled', table: table.name, message: `${table.name} has ${tenantColumn} but row level security is not enabled` });
    }
    if (!table.rls_forced) {
      problems.push({ kind: 'rls-not-forced', table: table.name, message: `${table.name} does not FORCE row level security: its owner bypasses the policies` });
    }
    if (table.rls_enabled && table.policy_count === 0) {
      problems.push({ kind: 'no-policy', table: table.name, message: `${table.name} has row level security enabled but no policy (every query sees nothing)` });
    }
    if (!table.has_tenant_index) {
      problems.push({
        kind: 'missing-tenant-index',
        table: table.name,
        message: `${table.name} has no index leading with ${tenantColumn}: tenant-scoped queries scan the whole table`,
      });
    }
  }
  return { ok: problems.length === 0, role: row.role, tenantTables: tables.map((table) => table.name), problems };
}
