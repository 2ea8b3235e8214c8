import { StrataError } from './strata-error.js';

/**
 * A row would duplicate a unique or primary key (SQLSTATE 23505). `constraint` names the
 * index or constraint.
 *
 * @example
 * catch (error) { if (error instanceof UniqueViolationError && error.constraint === 'users_email_key') … }
 */
export class UniqueViolationError extends StrataError {}

/**
 * A row references a missing row, or a referenced row is still in use (SQLSTATE 23503).
 *
 * @example
 * catch (error) { if (error instanceof ForeignKeyViolationError) return reply(422) }
 */
export class ForeignKeyViolationError extends StrataError {}

/**
 * A CHECK constraint rejected a row (SQLSTATE 23514).
 *
 * @example
 * catch (error) { if (error instanceof CheckViolationError) console.log(error.constraint) }
 */
export class CheckViolationError extends StrataError {}

/**
 * A NOT NULL column got null (SQLSTATE 23502). `column` names it.
 *
 * @example
 * catch (error) { if (error instanceof NotNullViolationError) console.log(error.column) }
 */
export class NotNullViolationError extends StrataError {}
