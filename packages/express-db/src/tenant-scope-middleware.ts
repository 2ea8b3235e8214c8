import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import { validateTenantId, withTenant, type Tenancy, type TenancyOptions, type TransactionOptions } from '@strata/db-core';
import { findAttachment } from './request-context.js';
import { commitUnlessErrorStatus, runRequestScope, type CommitDecision, type TransactionOpener } from './request-scope-runner.js';
import { TenantScopeError } from './errors/tenant-scope-error.js';

/** Transaction settings a request scope may choose (retries are impossible: a request cannot be replayed). */
export type ScopeTransactionOptions = Pick<TransactionOptions, 'isolation' | 'accessMode'>;

/** Options shared by `tenantScope` and `transactionScope`. */
export interface RequestScopeOptions extends ScopeTransactionOptions {
  /** The database; default: the one given to `attachDb` for this app. */
  readonly db?: Kysely<any>;
  /**
   * Requests to leave out of the scope (they run without a transaction, `getDb(req)` gives
   * the attached database): streaming routes, long polls, health checks.
   */
  readonly skip?: (request: Request) => boolean;
  /**
   * Whether to commit, given the status the handler chose. Default: commit below 400, roll
   * back on an error response, so a failed request leaves the database as it was.
   */
  readonly commitWhen?: CommitDecision;
}

/** Options of `tenantScope`. */
export interface TenantScopeMiddlewareOptions extends RequestScopeOptions, TenancyOptions {
  /**
   * Finds the tenant for a request: a route parameter, a header, the signed-in user's
   * organization… May be async. Whatever it returns is validated (UUID by default); a
   * missing or malformed id becomes `InvalidTenantError` (400) before any connection is
   * taken. Throw an `HttpError` to answer differently (e.g. 401 or 403).
   */
  readonly resolveTenant: (request: Request) => unknown;
  /** A `defineTenancy()` configuration; overrides `settingName`, `validateTenantId` and `mode`. */
  readonly tenancy?: Tenancy;
}

export function resolveScopeDatabase(request: Request, given: Kysely<any> | undefined): Kysely<any> {
  const db = given ?? findAttachment(request)?.db;
  if (!db) throw new TenantScopeError('No database for the scope: call attachDb(app, db) first or pass { db }');
  return db;
}

/**
 * Runs the rest of each request inside a tenant transaction (db-core's `withTenant`): the
 * tenant comes from `resolveTenant`, `app.tenant_id` is set transaction-locally, and every
 * query through `getDb(req)`, `req.db` or `currentDb()` sees only that tenant's rows under
 * row-level security. The transaction commits before the response is sent (a failed commit
 * becomes a 5xx, never a 2xx), rolls back when the response is an error or the client
 * disconnects, and always releases its connection.
 *
 * @example
 * app.use(express.json());
 * app.use('/organizations/:organizationId', tenantScope({ resolveTenant: (req) => req.params.organizationId }));
 * app.get('/organizations/:organizationId/projects', async (req, res) => {
 *   res.json(await req.db.selectFrom('projects').selectAll().execute()); // RLS: this tenant only
 * });
 */
export function tenantScope(options: TenantScopeMiddlewareOptions): RequestHandler {
  if (!options || typeof options.resolveTenant !== 'function') {
    throw new TenantScopeError('tenantScope() needs a resolveTenant(request) function');
  }
  const commitWhen = options.commitWhen ?? commitUnlessErrorStatus;
  const transactionOptions = { retries: 0, isolation: options.isolation, accessMode: options.accessMode };
  const tenancyOptions: TenancyOptions = {
    ...(options.settingName === undefined ? {} : { settingName: options.settingName }),
    ...(options.validateTenantId === undefined ? {} : { validateTenantId: options.validateTenantId }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
  };
  const validate = (tenantId: unknown) =>
    options.tenancy ? options.tenancy.validateTenantId(tenantId) : validateTenantId(tenantId, options.validateTenantId);
  return async function strataTenantScope(request: Request, response: Response, next: NextFunction) {
    if (options.skip?.(request)) {
      next();
      return;
    }
    let tenantId: string;
    let db: Kysely<any>;
    try {
      db = resolveScopeDatabase(request, options.db);
      tenantId = validate(await options.resolveTenant(request));
    } catch (error) {
      next(error);
      return;
    }
    const openTransaction: TransactionOpener = (work) =>
      options.tenancy
        ? options.tenancy.withTenant(db, tenantId, work, transactionOptions)
        : withTenant(db, tenantId, work, { ...tenancyOptions, ...transactionOptions });
    runRequestScope(request, response, next, { tenantId, openTransaction, commitWhen });
  };
}
