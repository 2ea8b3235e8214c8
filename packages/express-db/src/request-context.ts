import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import type { RegisteredDatabase } from './database-registry.js';
import type { DbAttachment } from './database-attachment.js';
import { TenantScopeError } from './errors/tenant-scope-error.js';

/** What a tenant or transaction scope exposes to the request it serves. */
export interface ActiveRequestScope {
  /** The validated tenant id, or undefined for a plain transaction scope. */
  readonly tenantId: string | undefined;
  /** The scope's transaction; throws `TenantScopeError` once the scope has ended. */
  database(): Kysely<any>;
  /** Ends the scope now with the given outcome and resolves once the transaction has ended. */
  end(outcome: 'commit' | 'rollback'): Promise<void>;
}

const attachmentKey = Symbol.for('@strata/express-db.attachment');
const scopes = new WeakMap<object, ActiveRequestScope>();
const requestStorage = new AsyncLocalStorage<Request>();

/** Stores the attachment on an app's request prototype, so every request (and sub-app request) finds it. */
export function setAttachment(requestPrototype: object, attachment: DbAttachment<any>): void {
  if (Object.prototype.hasOwnProperty.call(requestPrototype, attachmentKey)) {
    throw new TenantScopeError('attachDb() was already called for this app');
  }
  Object.defineProperty(requestPrototype, attachmentKey, { value: attachment, enumerable: false, configurable: true });
}

/** The attachment of the app serving this request, if any. */
export function findAttachment(request: Request): DbAttachment<any> | undefined {
  return (request as unknown as Record<symbol, DbAttachment<any> | undefined>)[attachmentKey];
}

export function setRequestScope(request: Request, scope: ActiveRequestScope): void {
  if (scopes.has(request)) throw new TenantScopeError('This request already runs inside a tenant or transaction scope');
  scopes.set(request, scope);
}

export function findRequestScope(request: Request): ActiveRequestScope | undefined {
  return scopes.get(request);
}

/**
 * Runs `continuation` with `request` as the current request, and makes the request's own
 * events run in that context too. Body parsers (express.json(), multer…) call `next()` from
 * the request's 'data'/'end' events, which Node emits in the socket's async context, not
 * the middleware's: without this, `currentDb()` would lose the request after body parsing.
 */
export function runInRequestContext(request: Request, continuation: () => void): void {
  requestStorage.run(request, () => {
    bindRequestEvents(request);
    continuation();
  });
}

const originalEmitKey = Symbol('strata.original-emit');
const contextResourceKey = Symbol('strata.request-context');

type EmitFunction = (this: unknown, ...args: unknown[]) => boolean;

interface ContextBoundEmitter {
  emit: EmitFunction;
  [originalEmitKey]?: EmitFunction;
  [contextResourceKey]?: AsyncResource;
}

/** One shared function for every request (a closure per request costs a new hidden class). */
function emitInRequestContext(this: ContextBoundEmitter, ...args: unknown[]): boolean {
  return this[contextResourceKey]!.runInAsyncScope(this[originalEmitKey]!, this, ...args);
}

function bindRequestEvents(request: Request): void {
  const emitter = request as unknown as ContextBoundEmitter;
  // Binding again (attachDb's middleware, then a scope without attachDb) replaces the
  // captured context instead of nesting it, so the latest context wins.
  emitter[originalEmitKey] ??= emitter.emit;
  emitter[contextResourceKey] = new AsyncResource('strata.request-context');
  emitter.emit = emitInRequestContext as EmitFunction;
}

/**
 * The database to use for a request: the scope's transaction inside `tenantScope()` or
 * `transactionScope()`, the attached database elsewhere. Works wherever you have `req`,
 * independent of async context.
 *
 * @example
 * app.get('/projects', async (req, res) => {
 *   res.json(await getDb(req).selectFrom('projects').selectAll().execute());
 * });
 */
export function getDb<DB = RegisteredDatabase>(request: Request): Kysely<DB> {
  const scope = scopes.get(request);
  if (scope) return scope.database() as Kysely<DB>;
  const attachment = findAttachment(request);
  if (attachment) return attachment.db as unknown as Kysely<DB>;
  throw new TenantScopeError('No database for this request: call attachDb(app, db) or pass { db } to tenantScope()');
}

/**
 * The tenant id of the request's tenant scope (validated, normalized), or undefined outside
 * one.
 *
 * @example
 * const organizationId = getTenantId(req);
 */
export function getTenantId(request: Request): string | undefined {
  return scopes.get(request)?.tenantId;
}

/**
 * The request being served in the current async context, or undefined outside one. The
 * context starts at `attachDb`'s middleware or at a scope middleware.
 *
 * @example
 * const request = currentRequest();
 */
export function currentRequest(): Request | undefined {
  return requestStorage.getStore();
}

/**
 * `getDb()` for the current request, found through AsyncLocalStorage: for code far from the
 * route handler (repositories, services) that has no `req`. Throws `TenantScopeError`
 * outside a request.
 *
 * @example
 * export async function listProjects() {
 *   return await currentDb().selectFrom('projects').selectAll().execute();
 * }
 */
export function currentDb<DB = RegisteredDatabase>(): Kysely<DB> {
  const request = requestStorage.getStore();
  if (!request) throw new TenantScopeError('currentDb() was called outside a request (no request context)');
  return getDb<DB>(request);
}

/**
 * The tenant id of the current request's scope, or undefined.
 *
 * @example
 * logger.info({ tenant: currentTenantId() }, 'project created');
 */
export function currentTenantId(): string | undefined {
  const request = requestStorage.getStore();
  return request ? getTenantId(request) : undefined;
}

/**
 * Commits the request's scope transaction now instead of when the response starts, and
 * resolves once it is committed (rejecting with `CommitFailedError` if the commit fails).
 * Afterwards the response is no longer held, so the route can stream or wait for a long
 * time without holding a connection; `getDb(req)` then throws, so use `req.app`'s database
 * (or `executeForTenant`) for anything more.
 *
 * @example
 * app.get('/events', async (req, res) => {
 *   await getDb(req).insertInto('subscriptions').values(row).execute();
 *   await endRequestScope(req); // committed; the connection is back in the pool
 *   res.writeHead(200, { 'content-type': 'text/event-stream' });
 * });
 */
export async function endRequestScope(request: Request, outcome: 'commit' | 'rollback' = 'commit'): Promise<void> {
  const scope = scopes.get(request);
  if (!scope) throw new TenantScopeError('endRequestScope(): this request has no tenant or transaction scope');
  await scope.end(outcome);
}
