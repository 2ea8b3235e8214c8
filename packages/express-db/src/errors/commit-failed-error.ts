import { StrataError } from '@strata/db-core';

/**
 * The request's transaction failed to commit after the handler had produced its response
 * (e.g. a deferred constraint, a serialization failure or a lost connection at COMMIT).
 * The held response is discarded and this error goes to the error handler instead, which
 * answers 5xx: a client never sees a success for work that was not saved. `cause` is the
 * database error.
 *
 * @example
 * catch (error) { if (error instanceof CommitFailedError) console.error(error.cause) }
 */
export class CommitFailedError extends StrataError {
  constructor(cause: unknown) {
    super('The transaction could not be committed; the response was discarded', { code: 'STRATA_COMMIT_FAILED', cause });
  }
}
