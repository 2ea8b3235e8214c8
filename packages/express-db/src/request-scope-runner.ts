import type { NextFunction, Request, Response } from 'express';
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, Transaction, UnknownRow } from 'kysely';
import { CommitFailedError } from './errors/commit-failed-error.js';
import { TenantScopeError } from './errors/tenant-scope-error.js';
import { ResponseHold } from './response-hold.js';
import { currentRequest, runInRequestContext, setRequestScope, type ActiveRequestScope } from './request-context.js';

/** Opens the scope's transaction, runs `work` in it and commits, or rolls back if `work` throws. */
export type TransactionOpener = (work: (transaction: Transaction<any>) => Promise<void>) => Promise<void>;

/** Decides, from the status the handler chose, whether the scope commits. */
export type CommitDecision = (statusCode: number, request: Request) => boolean;

/** Default: commit unless the response reports an error (status ≥ 400). */
export const commitUnlessErrorStatus: CommitDecision = (statusCode) => statusCode < 400;

type ScopePhase = 'waiting' | 'open' | 'ending' | 'ended';

/** Thrown inside the transaction to roll it back on purpose (not an error to report). */
const rollbackSignal = Symbol('strata.rollback');
/** Thrown inside the transaction when the client went away before the response. */
const abortSignal = Symbol('strata.client-aborted');

/**
 * Refuses queries once the scope has started to end, so a handler that keeps a reference to
 * the transaction cannot run a statement on a connection that is committing or already back
 * in the pool. Kysely's own check only starts after COMMIT has completed.
 */
class ScopeGuardPlugin implements KyselyPlugin {
  constructor(private readonly isOpen: () => boolean) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (!this.isOpen()) {
      throw new TenantScopeError('The request transaction has ended (the response started, or the client went away): this query was not sent');
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** The state of one request's scope. */
class RequestScope implements ActiveRequestScope {
  phase: ScopePhase = 'waiting';
  aborted = false;
  decision: 'commit' | 'rollback' | undefined;
  /** Set when the route ended the scope itself (`endRequestScope`). */
  endedByRoute = false;
  private transaction: Kysely<any> | undefined;
  private resolveDecision!: (decision: 'commit' | 'rollback') => void;
  private rejectDecision!: (reason: unknown) => void;
  readonly decided: Promise<'commit' | 'rollback'>;
  private resolveEnded!: () => void;
  private rejectEnded!: (error: unknown) => void;
  readonly ended: Promise<void>;

  constructor(readonly tenantId: string | undefined) {
    this.decided = new Promise((resolve, reject) => {
      this.resolveDecision = resolve;
      this.rejectDecision = reject;
    });
    this.ended = new Promise((resolve, reject) => {
      this.resolveEnded = resolve;
      this.rejectEnded = reject;
    });
    // Only endRequestScope awaits `ended`; nobody must see an unhandled rejection otherwise.
    this.ended.catch(() => undefined);
  }

  open(transaction: Transaction<any>): void {
    this.transaction = transaction.withPlugin(new ScopeGuardPlugin(() => this.phase === 'open'));
    this.phase = 'open';
  }

  database(): Kysely<any> {
    if (this.phase === 'open' && this.transaction) return this.transaction;
    if (this.phase === 'waiting') throw new TenantScopeError('The request transaction is not open yet');
    throw new TenantScopeError('The request transaction has ended (the response started, or the client went away)');
  }

  /** Ends the scope with an outcome; later calls are ignored. */
  decide(decision: 'commit' | 'rollback'): void {
    if (this.phase !== 'open') return;
    this.phase = 'ending';
    this.decision = decision;
    this.resolveDecision(decision);
  }

  abort(): void {
    this.aborted = true;
    if (this.phase !== 'open') return;
    this.phase = 'ending';
    this.rejectDecision(abortSignal);
  }

  async end(outcome: 'commit' | 'rollback'): Promise<void> {
    if (this.phase === 'open') {
      this.endedByRoute = true;
      this.decide(outcome);
    }
    await this.ended;
  }

  finish(error?: unknown): void {
    this.phase = 'ended';
    if (error === undefined) this.resolveEnded();
    else this.rejectEnded(error);
  }
}

/**
 * Runs the rest of the request inside a transaction and holds the response until the
 * transaction has ended:
 *
 * 1. the connection is taken and `next()` runs inside the transaction, in a request
 *    context (AsyncLocalStorage) that survives body parsing;
 * 2. the handler's first output (status, headers or body) ends the scope: the
 *    transaction commits (status < 400 by default) or rolls back, while the output is held;
 * 3. after COMMIT succeeds the held output is sent. If COMMIT fails, the output is
 *    discarded and `CommitFailedError` goes to the error handler (a 5xx, never a 2xx);
 * 4. a client that disconnects first makes the transaction roll back at once, releasing
 *    the connection even if the handler is still waiting on something.
 */
export function runRequestScope(
  request: Request,
  response: Response,
  next: NextFunction,
  scopeInput: { tenantId: string | undefined; openTransaction: TransactionOpener; commitWhen: CommitDecision },
): void {
  const scope = new RequestScope(scopeInput.tenantId);
  try {
    setRequestScope(request, scope);
  } catch (error) {
    next(error);
    return;
  }
  const hold = new ResponseHold(response, (statusCode) => {
    scope.decide(scopeInput.commitWhen(statusCode, request) ? 'commit' : 'rollback');
  });
  const onClose = () => {
    if (!response.writableFinished) scope.abort();
  };
  response.once('close', onClose);
  if (request.socket?.destroyed) scope.abort();

  const transactionDone = scopeInput.openTransaction(async (transaction) => {
    if (scope.aborted) throw abortSignal;
    scope.open(transaction);
    hold.install();
    // attachDb's middleware usually started the request context already; entering it
    // again would only cost another AsyncResource per request.
    if (currentRequest() === request) next();
    else runInRequestContext(request, next);
    const decision = await scope.decided;
    if (decision === 'rollback') throw rollbackSignal;
  });

  transactionDone.then(
    () => {
      scope.finish();
      hold.release();
    },
    (error: unknown) => {
      const phaseBefore = scope.phase;
      if (error === rollbackSignal || scope.decision === 'rollback') {
        // Rolled back on purpose (a failed ROLLBACK leaves nothing committed either).
        scope.finish();
        hold.release();
        return;
      }
      if (error === abortSignal || scope.aborted) {
        scope.finish(new TenantScopeError('The client went away; the request transaction was rolled back'));
        hold.discard();
        return;
      }
      if (phaseBefore === 'waiting') {
        // No transaction: the pool timed out, the server is unreachable… Report it as is.
        scope.finish(error);
        next(error);
        return;
      }
      const commitError = new CommitFailedError(error);
      scope.finish(commitError);
      hold.discard();
      if (scope.endedByRoute) return; // endRequestScope's caller gets the error and decides.
      response.statusCode = 500;
      next(commitError);
    },
  );
}
