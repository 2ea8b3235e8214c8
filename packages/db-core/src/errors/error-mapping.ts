import { redactSecrets } from '../connection-string.js';
import { CheckViolationError, ForeignKeyViolationError, NotNullViolationError, UniqueViolationError } from './constraint-errors.js';
import { StrataError, type DatabaseErrorDetails } from './strata-error.js';
import { RowLevelSecurityError } from './tenant-errors.js';
import {
  ConnectionError,
  DeadlockDetectedError,
  PoolTimeoutError,
  SerializationFailureError,
  StatementTimeoutError,
} from './transient-errors.js';

type StrataErrorClass = new (message: string, options: DatabaseErrorDetails & { cause?: unknown }) => StrataError;

const classBySqlState: Readonly<Record<string, StrataErrorClass>> = {
  '23505': UniqueViolationError,
  '23503': ForeignKeyViolationError,
  '23514': CheckViolationError,
  '23502': NotNullViolationError,
  '40001': SerializationFailureError,
  '40P01': DeadlockDetectedError,
  '57014': StatementTimeoutError,
  '55P03': StatementTimeoutError,
  '42501': RowLevelSecurityError,
  '53300': ConnectionError,
  '57P01': ConnectionError,
  '57P02': ConnectionError,
  '57P03': ConnectionError,
};

/** Node socket error codes that mean the server is unreachable or the connection died. */
const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function sqlStateOf(error: Record<string, unknown>): string | undefined {
  const code = error.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function stringField(error: Record<string, unknown>, key: string): string | undefined {
  const value = error[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether an error means the connection it happened on cannot be used again (so the pool
 * must discard it rather than hand it to the next caller).
 */
export function isConnectionLost(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  if (!error || typeof error !== 'object') return false;
  const record = error as Record<string, unknown>;
  const sqlState = sqlStateOf(record);
  if (sqlState) return sqlState.startsWith('08') || sqlState.startsWith('57P');
  const code = stringField(record, 'code');
  if (code && networkErrorCodes.has(code)) return true;
  const message = stringField(record, 'message') ?? '';
  return /Connection terminated|Client has encountered a connection error|not queryable/i.test(message);
}

/**
 * Converts any error thrown by `pg` (or the network) into the matching Strata error class,
 * keeping SQLSTATE, constraint, table, column and the original error as `cause`. Errors that
 * are already Strata errors are returned as they are; anything unknown becomes a plain
 * `StrataError`. Queries run through `createDb` are mapped already; use this for raw `pg`.
 *
 * @example
 * try { await pool.query(sql) } catch (error) { throw toStrataError(error) }
 */
export function toStrataError(error: unknown): StrataError {
  if (error instanceof StrataError) return error;
  if (!error || typeof error !== 'object') {
    return new StrataError(`Unexpected error: ${redactSecrets(String(error))}`, { cause: error });
  }
  const record = error as Record<string, unknown>;
  const message = redactSecrets(stringField(record, 'message') ?? 'Unknown database error');
  const sqlState = sqlStateOf(record);
  const details: DatabaseErrorDetails & { cause: unknown } = {
    code: sqlState,
    constraint: stringField(record, 'constraint'),
    table: stringField(record, 'table'),
    schema: stringField(record, 'schema'),
    column: stringField(record, 'column'),
    detail: stringField(record, 'detail'),
    cause: error,
  };
  if (sqlState) {
    const ErrorClass = classBySqlState[sqlState] ?? (sqlState.startsWith('08') ? ConnectionError : StrataError);
    return new ErrorClass(message, details);
  }
  if (/timeout exceeded when trying to connect/i.test(message)) {
    return new PoolTimeoutError('Timed out waiting for a database connection (pool exhausted or server slow to accept)', {
      ...details,
      code: 'STRATA_POOL_TIMEOUT',
    });
  }
  if (isConnectionLost(error) || /connection timeout|timeout expired/i.test(message)) {
    return new ConnectionError(message, { ...details, code: stringField(record, 'code') ?? 'STRATA_CONNECTION' });
  }
  return new StrataError(message, details);
}
