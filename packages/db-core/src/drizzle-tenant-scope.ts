import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction, PgTransactionConfig } from 'drizzle-orm/pg-core';
import { toStrataError } from './errors/error-mapping.js';
import { validateSettingName } from './sql-identifier.js';
import { validateTenantId, type TenantIdValidator } from './tenant-id-validation.js';

/** Options of the Drizzle `withTenant`. */
export interface DrizzleTenantScopeOptions {
  /** Default `app.tenant_id`. */
  readonly settingName?: string;
  /** Default: UUID strings only. */
  readonly validateTenantId?: TenantIdValidator;
  /** `set-local` (escaped literal) for Citus; default `set-config` (bound parameter). */
  readonly mode?: 'set-config' | 'set-local';
  /** Passed to Drizzle's `transaction()` (isolation level, access mode). */
  readonly transaction?: PgTransactionConfig;
}

/**
 * Runs `work` in a Drizzle transaction with the tenant set transaction-locally, so RLS
 * policies see it and the pooled connection carries no tenant afterwards. The tenant id is
 * validated before anything is sent (`InvalidTenantError`).
 *
 * Drizzle sends BEGIN on its own, so this costs one round trip more than db-core's Kysely
 * `withTenant` (which pipelines BEGIN with the setting).
 *
 * @example
 * import { withTenant } from '@strata/db-core/drizzle';
 * const rows = await withTenant(db, tenantId, (tx) => tx.select().from(notes));
 */
export async function tenantScopeForDrizzle<TQueryResult extends PgQueryResultHKT, TFullSchema extends Record<string, unknown>, T>(
  db: PgDatabase<TQueryResult, TFullSchema, any>,
  tenantId: unknown,
  work: (tx: PgTransaction<TQueryResult, TFullSchema, any>, tenantId: string) => Promise<T>,
  options: DrizzleTenantScopeOptions = {},
): Promise<T> {
  const settingName = validateSettingName(options.settingName ?? 'app.tenant_id');
  const validated = validateTenantId(tenantId, options.validateTenantId);
  try {
    return await runScoped(db, settingName, validated, work, options);
  } catch (error) {
    throw mapDrizzleError(error);
  }
}

/**
 * Drizzle wraps driver errors in a `DrizzleQueryError` whose message includes the query's
 * parameters (possibly secrets). Database errors become the typed Strata error of their
 * SQLSTATE; anything else (the app's own errors) passes through untouched.
 */
function mapDrizzleError(error: unknown): unknown {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return toStrataError(cause);
  return error;
}

async function runScoped<TQueryResult extends PgQueryResultHKT, TFullSchema extends Record<string, unknown>, T>(
  db: PgDatabase<TQueryResult, TFullSchema, any>,
  settingName: string,
  validated: string,
  work: (tx: PgTransaction<TQueryResult, TFullSchema, any>, tenantId: string) => Promise<T>,
  options: DrizzleTenantScopeOptions,
): Promise<T> {
  return await db.transaction(async (tx) => {
    if (options.mode === 'set-local') {
      // Both parts are validated: the name by pattern, the id by the validator; the id is
      // still escaped as a literal because SET cannot take a bound parameter.
      await tx.execute(sql.raw(`set local ${settingName} = '${validated.replace(/'/g, "''")}'`));
    } else {
      await tx.execute(sql`select set_config(${settingName}, ${validated}, true)`);
    }
    return await work(tx, validated);
  }, options.transaction);
}
