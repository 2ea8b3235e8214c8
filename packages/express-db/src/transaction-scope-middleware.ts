import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import { transaction } from '@strata/db-core';
import { commitUnlessErrorStatus, runRequestScope } from './request-scope-runner.js';
import { resolveScopeDatabase, type RequestScopeOptions } from './tenant-scope-middleware.js';

/**
 * Like `tenantScope()` without a tenant: the rest of each request runs in one transaction
 * that commits before the response is sent, rolls back on an error response or a client
 * disconnect, and releases its connection. For apps without row-level security, or for
 * routes that write to several tables at once.
 *
 * @example
 * app.post('/transfers', transactionScope({ isolation: 'serializable' }), async (req, res) => {
 *   await req.db.updateTable('accounts').set(debit).where('id', '=', from).execute();
 *   await req.db.updateTable('accounts').set(credit).where('id', '=', to).execute();
 *   res.status(201).json({ ok: true }); // sent only after COMMIT succeeded
 * });
 */
export function transactionScope(options: RequestScopeOptions = {}): RequestHandler {
  const commitWhen = options.commitWhen ?? commitUnlessErrorStatus;
  const transactionOptions = { retries: 0, isolation: options.isolation, accessMode: options.accessMode };
  return function strataTransactionScope(request: Request, response: Response, next: NextFunction) {
    if (options.skip?.(request)) {
      next();
      return;
    }
    let db: Kysely<any>;
    try {
      db = resolveScopeDatabase(request, options.db);
    } catch (error) {
      next(error);
      return;
    }
    runRequestScope(request, response, next, {
      tenantId: undefined,
      openTransaction: (work) => transaction(db, work, transactionOptions),
      commitWhen,
    });
  };
}
