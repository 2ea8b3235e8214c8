import { sql, type Kysely } from 'kysely';
import { ConfigurationError } from './errors/configuration-error.js';
import { quoteIdentifier, validateSettingName } from './sql-identifier.js';

/** Column types a tenant column may have; the setting is cast to it. */
export type TenantColumnType = 'uuid' | 'text' | 'bigint' | 'integer';

/** Which table to protect, and how. */
export interface TenantPolicyOptions {
  readonly table: string;
  /** Default `public`. */
  readonly schema?: string;
  /** Default `tenant_id`. */
  readonly tenantColumn?: string;
  /** Default `uuid`. */
  readonly columnType?: TenantColumnType;
  /** Default `app.tenant_id`. */
  readonly settingName?: string;
  /** Default `<table>_tenant_isolation`. */
  readonly policyName?: string;
  /** Restrict the policy to one role (e.g. the app role). Default: all roles (PUBLIC). */
  readonly role?: string;
}

const columnTypes: readonly TenantColumnType[] = ['uuid', 'text', 'bigint', 'integer'];

/**
 * The SQL expression policies compare the tenant column with. Wrapped in a scalar subquery
 * so PostgreSQL evaluates it once per statement (an InitPlan), not once per row; `nullif`
 * turns the empty string a reset setting reads as into NULL, and `tenant_id = NULL` is
 * never true: with no tenant set, reads see nothing and writes are refused (fail-closed).
 *
 * @example
 * tenantSettingExpression(); // "(select nullif(current_setting('app.tenant_id', true), '')::uuid)"
 */
export function tenantSettingExpression(settingName = 'app.tenant_id', columnType: TenantColumnType = 'uuid'): string {
  validateSettingName(settingName);
  if (!columnTypes.includes(columnType)) {
    throw new ConfigurationError(`columnType must be one of ${columnTypes.join(', ')}`);
  }
  return `(select nullif(current_setting('${settingName}', true), '')::${columnType})`;
}

/**
 * The statements that put a table behind tenant row-level security: ENABLE and FORCE row
 * level security (FORCE so the table owner is subject to it too), and one policy for all
 * commands whose USING and WITH CHECK both compare the tenant column to the setting.
 * Every name is validated; nothing from the options is interpolated unchecked.
 *
 * @example
 * for (const statement of tenantPolicyStatements({ table: 'notes' })) await sql.raw(statement).execute(db);
 */
export function tenantPolicyStatements(options: TenantPolicyOptions): string[] {
  const table = `${quoteIdentifier(options.schema ?? 'public', 'schema')}.${quoteIdentifier(options.table, 'table name')}`;
  const column = quoteIdentifier(options.tenantColumn ?? 'tenant_id', 'tenant column');
  const policy = quoteIdentifier(options.policyName ?? `${options.table}_tenant_isolation`, 'policy name');
  const role = options.role === undefined ? 'public' : quoteIdentifier(options.role, 'role');
  const expression = tenantSettingExpression(options.settingName, options.columnType);
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy ${policy} on ${table} as permissive for all to ${role} using (${column} = ${expression}) with check (${column} = ${expression})`,
  ];
}

/**
 * The same statements as one SQL script, e.g. for a `.sql` migration.
 *
 * @example
 * writeFileSync('migrations/002_notes_rls.sql', tenantPolicySql({ table: 'notes' }));
 */
export function tenantPolicySql(options: TenantPolicyOptions): string {
  return `${tenantPolicyStatements(options).join(';\n')};\n`;
}

/**
 * Runs the tenant policy statements on a Kysely instance, e.g. inside a TS migration
 * (which already runs them in its transaction).
 *
 * @example
 * export async function up(db: Kysely<unknown>) {
 *   await db.schema.createTable('notes').addColumn('tenant_id', 'uuid', (c) => c.notNull()).execute();
 *   await applyTenantPolicy(db, { table: 'notes' });
 * }
 */
export async function applyTenantPolicy(db: Kysely<any>, options: TenantPolicyOptions): Promise<void> {
  for (const statement of tenantPolicyStatements(options)) {
    await sql.raw(statement).execute(db);
  }
}
