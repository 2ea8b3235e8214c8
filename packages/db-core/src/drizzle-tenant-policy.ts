import { sql } from 'drizzle-orm';
import { pgPolicy, type PgPolicy, type PgPolicyToOption } from 'drizzle-orm/pg-core';
import { quoteIdentifier } from './sql-identifier.js';
import { tenantSettingExpression, type TenantColumnType } from './tenant-policy-sql.js';

/** Options of `tenantIsolationPolicy`. */
export interface DrizzleTenantPolicyOptions {
  /** Policy name. Default `tenant_isolation`. */
  readonly name?: string;
  /** Default `tenant_id`. */
  readonly tenantColumn?: string;
  /** Default `uuid`. */
  readonly columnType?: TenantColumnType;
  /** Default `app.tenant_id`. */
  readonly settingName?: string;
  /** Default `public`. */
  readonly to?: PgPolicyToOption;
}

/**
 * A Drizzle `pgPolicy` for all commands whose USING and WITH CHECK compare the tenant column
 * to `(select nullif(current_setting('app.tenant_id', true), '')::uuid)`: evaluated once per
 * statement, fail-closed with no tenant. Put it in the table's extra config; drizzle-kit then
 * generates ENABLE ROW LEVEL SECURITY and the policy. drizzle-kit cannot express FORCE: add
 * `forceRowLevelSecuritySql(table)` to a custom migration, or the table owner bypasses RLS.
 *
 * @example
 * export const notes = pgTable('notes', { id: uuid().primaryKey(), tenantId: uuid('tenant_id').notNull() },
 *   () => [tenantIsolationPolicy()]);
 */
export function tenantIsolationPolicy(options: DrizzleTenantPolicyOptions = {}): PgPolicy {
  const column = quoteIdentifier(options.tenantColumn ?? 'tenant_id', 'tenant column');
  const expression = tenantSettingExpression(options.settingName, options.columnType);
  const condition = sql.raw(`${column} = ${expression}`);
  return pgPolicy(options.name ?? 'tenant_isolation', {
    as: 'permissive',
    for: 'all',
    to: options.to ?? 'public',
    using: condition,
    withCheck: condition,
  });
}

/**
 * `ALTER TABLE … FORCE ROW LEVEL SECURITY` for a table, for a custom drizzle-kit migration
 * (`drizzle-kit generate --custom`), since drizzle-kit only emits ENABLE.
 *
 * @example
 * forceRowLevelSecuritySql('notes'); // 'alter table "public"."notes" force row level security;'
 */
export function forceRowLevelSecuritySql(table: string, schema = 'public'): string {
  return `alter table ${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(table, 'table name')} force row level security;`;
}
