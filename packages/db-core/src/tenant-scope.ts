import { CompiledQuery, type Compilable, type Kysely, type Transaction } from 'kysely';
import type { KyselyInstance } from './kysely-instance.js';
import pg from 'pg';
import { validateSettingName } from './sql-identifier.js';
import { allowOnReplica } from './read-only-query.js';
import { RoutingConnection } from './routing-connection.js';
import { deferUntilNextStatement, StrataConnection, withPrelude } from './strata-connection.js';
import { validateTenantId, type TenantIdValidator } from './tenant-id-validation.js';
import { transaction, type TransactionOptions } from './transaction.js';

/**
 * How the tenant id reaches PostgreSQL.
 *
 * - `set-config` (default): `select set_config($1, $2, true)`: a bound parameter, no
 *   string building at all.
 * - `set-local`: `SET LOCAL app.tenant_id = '…'` with the validated id escaped as a
 *   literal. For Citus, which propagates `SET LOCAL` to worker nodes but not set_config.
 */
export type TenantContextMode = 'set-config' | 'set-local';

/** Options shared by every tenancy function. */
export interface TenancyOptions {
  /** The custom setting that policies read. Default `app.tenant_id`. */
  readonly settingName?: string;
  /** Default: `uuidTenantId` (UUID strings only). */
  readonly validateTenantId?: TenantIdValidator;
  /** Default `set-config`. */
  readonly mode?: TenantContextMode;
}

/** Options of `executeForTenant`. */
export interface TenantStatementOptions extends TenancyOptions {
  /**
   * Allow this statement on a read replica (when the db has replicas). Tenant-scoped
   * statements go to the primary unless asked, so a read right after a write sees it.
   */
  readonly replica?: boolean;
}

/** Options of `withTenant`: tenancy plus transaction options (isolation, retries). */
export interface TenantScopeOptions extends TenancyOptions, TransactionOptions {}

const defaultSettingName = 'app.tenant_id';

/**
 * Builds the statement that sets the tenant for the current transaction only, after
 * validating the tenant id. Nothing here touches the network.
 */
export function tenantContextQuery(tenantId: unknown, options: TenancyOptions = {}): CompiledQuery {
  return prepareTenantContext(tenantId, options).query;
}

function prepareTenantContext(tenantId: unknown, options: TenancyOptions): { query: CompiledQuery; tenantId: string } {
  const settingName = validateSettingName(options.settingName ?? defaultSettingName);
  const validated = validateTenantId(tenantId, options.validateTenantId);
  const query =
    options.mode === 'set-local'
      ? CompiledQuery.raw(`set local ${settingName} = ${pg.escapeLiteral(validated)}`)
      : CompiledQuery.raw('select set_config($1, $2, true)', [settingName, validated]);
  return { query, tenantId: validated };
}

/**
 * Runs `work` in a transaction where `app.tenant_id` (or your setting) is the given tenant,
 * set transaction-locally: after commit or rollback the pooled connection carries no tenant.
 * The id is validated first; an invalid id throws `InvalidTenantError` and no SQL is sent.
 *
 * Round trips: the tenant setting travels in one pipeline with BEGIN and the first
 * statement, so a transaction of N statements costs N + 1 round trips (BEGIN, setting and
 * statement 1; statements 2…N; COMMIT) instead of the usual N + 3. For a single statement,
 * `executeForTenant` costs one.
 *
 * Serialization failures and deadlocks re-run `work` (see `transaction`). Given a
 * transaction, the tenant is set for the rest of that transaction and `work` runs in it.
 *
 * @example
 * const notes = await withTenant(db, tenantId, (trx) =>
 *   trx.selectFrom('notes').selectAll().execute(), // RLS shows only this tenant's rows
 * );
 */
export async function withTenant<DB, T>(
  db: KyselyInstance<DB>,
  tenantId: unknown,
  work: (trx: Transaction<DB>, tenantId: string) => Promise<T>,
  options: TenantScopeOptions = {},
): Promise<T> {
  const context = prepareTenantContext(tenantId, options);
  return await transaction(
    db,
    async (trx) => {
      await trx.executeQuery(deferUntilNextStatement(context.query));
      return await work(trx, context.tenantId);
    },
    options,
  );
}

/**
 * Runs ONE statement as the given tenant in a single round trip: the tenant setting and the
 * statement are pipelined before one Sync, which PostgreSQL runs as one implicit transaction
 * (so the setting is gone right after). Use it for the hot path: a tenant-scoped list,
 * lookup or insert. The id is validated before anything is sent.
 *
 * @example
 * const notes = await executeForTenant(db, tenantId, db.selectFrom('notes').selectAll());
 */
export async function executeForTenant<DB, O>(
  db: KyselyInstance<DB>,
  tenantId: unknown,
  query: Compilable<O> | CompiledQuery<O>,
  options: TenantStatementOptions = {},
): Promise<O[]> {
  const context = tenantContextQuery(tenantId, options);
  const compiled = 'compile' in query ? query.compile() : query;
  if (db.isTransaction) {
    await db.executeQuery(deferUntilNextStatement(context));
    return (await db.executeQuery(compiled)).rows;
  }
  if (options.mode === 'set-local') {
    // SET LOCAL needs an explicit transaction block; BEGIN still shares the pipeline.
    return await withTenant(db, tenantId, async (trx) => (await trx.executeQuery(compiled)).rows, options);
  }
  const executor = (db as Kysely<DB>).getExecutor();
  if (!(await runsOnStrataConnections(executor))) {
    // Another driver cannot pipeline: an explicit transaction keeps the setting in scope.
    return await withTenant(db, tenantId, async (trx) => (await trx.executeQuery(compiled)).rows, options);
  }
  // Through the executor (not db.connection()) so no Kysely instance is built per call, and
  // plugins still transform the result.
  const statement = withPrelude(compiled, [context]);
  return (await executor.executeQuery(options.replica ? allowOnReplica(statement) : statement)).rows;
}

const strataExecutors = new WeakMap<object, boolean>();

/** Whether an executor's connections are Strata connections (checked once per executor). */
async function runsOnStrataConnections(executor: ReturnType<Kysely<any>['getExecutor']>): Promise<boolean> {
  const known = strataExecutors.get(executor);
  if (known !== undefined) return known;
  const isStrata = await executor.provideConnection(
    async (connection) => connection instanceof StrataConnection || connection instanceof RoutingConnection,
  );
  strataExecutors.set(executor, isStrata);
  return isStrata;
}

/** Tenancy functions bound to one configuration, returned by `defineTenancy`. */
export interface Tenancy {
  readonly settingName: string;
  withTenant<DB, T>(
    db: KyselyInstance<DB>,
    tenantId: unknown,
    work: (trx: Transaction<DB>, tenantId: string) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  executeForTenant<DB, O>(
    db: KyselyInstance<DB>,
    tenantId: unknown,
    query: Compilable<O> | CompiledQuery<O>,
    options?: { readonly replica?: boolean },
  ): Promise<O[]>;
  /** Validates a tenant id with this configuration's validator (throws `InvalidTenantError`). */
  validateTenantId(tenantId: unknown): string;
}

/**
 * Binds the tenancy functions to one configuration (setting name, validator, mode), so an
 * application states it once.
 *
 * @example
 * export const tenancy = defineTenancy({ settingName: 'app.organization_id' });
 * await tenancy.withTenant(db, organizationId, (trx) => trx.selectFrom('projects').selectAll().execute());
 */
export function defineTenancy(options: TenancyOptions = {}): Tenancy {
  const settingName = validateSettingName(options.settingName ?? defaultSettingName);
  const bound: TenancyOptions = { ...options, settingName };
  return {
    settingName,
    withTenant: (db, tenantId, work, transactionOptions = {}) => withTenant(db, tenantId, work, { ...transactionOptions, ...bound }),
    executeForTenant: (db, tenantId, query, statementOptions = {}) => executeForTenant(db, tenantId, query, { ...statementOptions, ...bound }),
    validateTenantId: (tenantId) => validateTenantId(tenantId, options.validateTenantId),
  };
}
