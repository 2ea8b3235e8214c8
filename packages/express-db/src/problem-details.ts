import { STATUS_CODES } from 'node:http';
import {
  CheckViolationError,
  ConnectionError,
  DeadlockDetectedError,
  ForeignKeyViolationError,
  InvalidTenantError,
  NotNullViolationError,
  PoolTimeoutError,
  RowLevelSecurityError,
  SerializationFailureError,
  StatementTimeoutError,
  StrataError,
  UniqueViolationError,
} from '@strata/db-core';
import { CommitFailedError } from './errors/commit-failed-error.js';
import { HttpError } from './errors/http-error.js';

/** An RFC 9457 problem details object, with a machine-readable `code` extension. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** Stable, machine-readable problem code, e.g. `unique_violation`. */
  readonly code: string;
  readonly [extension: string]: unknown;
}

/** What an error becomes over HTTP. */
export interface ProblemResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ProblemDetails;
}

/** Options of `toProblemResponse` and `problemDetailsErrorHandler`. */
export interface ProblemMappingOptions {
  /**
   * Status for a row-level security refusal: 403 (default) says "not yours", 404 hides
   * that the row exists at all.
   */
  readonly rowLevelSecurityStatus?: 403 | 404;
  /** `Retry-After` seconds on 503 responses. Default 1. */
  readonly retryAfterSeconds?: number;
  /**
   * Base URI for the problem `type` (the code is appended, e.g.
   * `https://errors.example.com/unique_violation`). Default: `about:blank` for every problem.
   */
  readonly typeBaseUri?: string;
  /**
   * Translates errors this package does not know (your domain errors, another library's)
   * before the mapping: return an `HttpError` (or any mapped error) to use it, or
   * `undefined` to keep the original.
   */
  readonly mapError?: (error: unknown) => unknown;
}

interface Mapping {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly retry?: boolean;
  readonly title?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const internalError: Mapping = { status: 500, code: 'internal_error', detail: 'An unexpected error occurred.' };

/** Errors from body parsers and similar middleware (http-errors): a 4xx status and `expose`. */
function clientErrorOf(error: unknown): Mapping | undefined {
  if (!error || typeof error !== 'object' || error instanceof StrataError) return undefined;
  const record = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown; type?: unknown };
  const status = typeof record.status === 'number' ? record.status : record.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 499) return undefined;
  const exposed = record.expose === true && typeof record.message === 'string';
  const code = typeof record.type === 'string' ? record.type.replace(/[^a-z0-9]+/gi, '_').toLowerCase() : `http_${status}`;
  return { status, code, detail: exposed ? (record.message as string) : (STATUS_CODES[status] ?? 'Client error') };
}

function isDataException(error: StrataError): boolean {
  // SQLSTATE class 22: invalid text representation (a malformed uuid), value too long,
  // numeric out of range, invalid datetime… all caused by the client's input.
  return /^22[0-9A-Z]{3}$/.test(error.code);
}

function mapError(error: unknown, options: ProblemMappingOptions): Mapping {
  if (error instanceof HttpError) {
    return { status: error.status, code: `http_${error.status}`, detail: error.message, headers: error.headers, ...(error.title ? { title: error.title } : {}) };
  }
  if (error instanceof CommitFailedError) {
    const cause = error.cause;
    if (cause instanceof SerializationFailureError || cause instanceof DeadlockDetectedError) {
      return { status: 503, code: 'commit_conflict', detail: 'The transaction conflicted with another one and was rolled back; retry the request.', retry: true };
    }
    return { status: 500, code: 'commit_failed', detail: 'The changes could not be saved.' };
  }
  const client = clientErrorOf(error);
  if (client) return client;
  if (!(error instanceof StrataError)) return internalError;
  if (error instanceof InvalidTenantError) return { status: 400, code: 'invalid_tenant', detail: 'The tenant id is missing or malformed.' };
  if (error instanceof UniqueViolationError) return { status: 409, code: 'unique_violation', detail: 'A resource with the same unique value already exists.' };
  if (error instanceof ForeignKeyViolationError) {
    // PostgreSQL words the two cases differently: "insert or update on table … violates"
    // (the input points at a missing row) vs "update or delete on table …" (still in use).
    return /^update or delete on table/i.test(error.message)
      ? { status: 409, code: 'foreign_key_violation', detail: 'The resource is still referenced by other resources.' }
      : { status: 422, code: 'foreign_key_violation', detail: 'A referenced resource does not exist.' };
  }
  if (error instanceof CheckViolationError || error instanceof NotNullViolationError || isDataException(error)) {
    return { status: 400, code: 'invalid_input', detail: 'The input is not valid for this resource.' };
  }
  if (error instanceof RowLevelSecurityError) {
    const status = options.rowLevelSecurityStatus ?? 403;
    return status === 404
      ? { status: 404, code: 'not_found', detail: 'The requested resource was not found.' }
      : { status: 403, code: 'row_level_security', detail: 'This operation is not permitted for the current tenant.' };
  }
  if (error instanceof PoolTimeoutError) return { status: 503, code: 'pool_timeout', detail: 'The service is busy; retry shortly.', retry: true };
  if (error instanceof StatementTimeoutError) return { status: 503, code: 'statement_timeout', detail: 'The operation took too long; retry shortly.', retry: true };
  if (error instanceof ConnectionError) {
    return error.code === '53300'
      ? { status: 503, code: 'too_many_connections', detail: 'The database has no free connection; retry shortly.', retry: true }
      : { status: 503, code: 'database_unavailable', detail: 'The database is unavailable; retry shortly.', retry: true };
  }
  if (error instanceof SerializationFailureError || error instanceof DeadlockDetectedError) {
    return { status: 503, code: 'transaction_conflict', detail: 'The request conflicted with another one; retry it.', retry: true };
  }
  return internalError;
}

/**
 * Maps an error to a problem details response (RFC 9457, `application/problem+json`).
 * Database errors get a fixed, safe text: the body never contains SQL, values, a stack or
 * a connection string. `HttpError` messages and exposed client errors (body parsers) are
 * shown as written.
 *
 * | error | status |
 * | --- | --- |
 * | `HttpError` / `NotFoundError` | its status |
 * | body parser errors (too large, malformed JSON…) | their 4xx |
 * | `InvalidTenantError`, check / not-null violations, SQLSTATE class 22 | 400 |
 * | `UniqueViolationError` | 409 |
 * | `ForeignKeyViolationError` | 422 (missing reference) or 409 (still referenced) |
 * | `RowLevelSecurityError` | 403 (or 404 with `rowLevelSecurityStatus: 404`) |
 * | `PoolTimeoutError`, `ConnectionError` (incl. too many connections), `StatementTimeoutError`, serialization failure, deadlock | 503 + `Retry-After` |
 * | `CommitFailedError` | 500 (503 + `Retry-After` when the cause is a serialization failure) |
 * | anything else | 500 |
 *
 * @example
 * const { status, headers, body } = toProblemResponse(error);
 */
export function toProblemResponse(error: unknown, options: ProblemMappingOptions = {}): ProblemResponse {
  const translated = options.mapError?.(error);
  const mapping = mapError(translated === undefined ? error : translated, options);
  const headers: Record<string, string> = { ...(mapping.headers ?? {}) };
  if (mapping.retry) headers['Retry-After'] = String(options.retryAfterSeconds ?? 1);
  const body: ProblemDetails = {
    type: options.typeBaseUri ? `${options.typeBaseUri}${mapping.code}` : 'about:blank',
    title: mapping.title ?? STATUS_CODES[mapping.status] ?? 'Error',
    status: mapping.status,
    detail: mapping.detail,
    code: mapping.code,
  };
  return { status: mapping.status, headers, body };
}
