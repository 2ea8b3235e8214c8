import { StrataError } from './strata-error.js';

/**
 * A serializable or repeatable-read transaction could not be serialized (SQLSTATE 40001).
 * Safe to retry the whole transaction; `transaction()` does so with bounded retries.
 *
 * @example
 * await transaction(db, work, { isolation: 'serializable', retries: 5 });
 */
export class SerializationFailureError extends StrataError {}

/**
 * PostgreSQL broke a deadlock by aborting this transaction (SQLSTATE 40P01). Retryable.
 *
 * @example
 * catch (error) { if (error instanceof DeadlockDetectedError) retryLater() }
 */
export class DeadlockDetectedError extends StrataError {}

/**
 * The server could not be reached, refused the connection, ran out of connection slots,
 * or the connection was lost mid-query (SQLSTATE classes 08, 57P01–57P03, 53300).
 * The pool replaces the broken connection; the next query gets a fresh one.
 *
 * @example
 * catch (error) { if (error instanceof ConnectionError) res.set('Retry-After', '1').status(503) }
 */
export class ConnectionError extends StrataError {}

/**
 * Every pooled connection was busy for `connectionTimeoutMillis`: the request for a
 * connection gave up instead of waiting forever. A kind of `ConnectionError`.
 *
 * @example
 * catch (error) { if (error instanceof PoolTimeoutError) res.status(503) }
 */
export class PoolTimeoutError extends ConnectionError {}

/**
 * A statement ran longer than `statement_timeout` or was cancelled (SQLSTATE 57014), or a
 * lock wait exceeded `lock_timeout` (55P03).
 *
 * @example
 * catch (error) { if (error instanceof StatementTimeoutError) res.status(503) }
 */
export class StatementTimeoutError extends StrataError {}

/**
 * COMMIT was answered with ROLLBACK: an earlier statement in the transaction failed (and the
 * error was caught), so PostgreSQL discarded every write of the transaction. Raised instead
 * of reporting a silent success.
 *
 * @example
 * catch (error) { if (error instanceof TransactionRolledBackError) res.status(500) }
 */
export class TransactionRolledBackError extends StrataError {}
