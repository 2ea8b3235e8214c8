import { StrataError } from '@strata/db-core';

/**
 * Base class of every error `@strata/auth-schema` raises on purpose; a `StrataError`, so
 * one `instanceof StrataError` check (or express-db's error handler) covers it. `code` is a
 * stable `STRATA_AUTH_*` string. Messages never contain tokens, passwords or password hashes.
 *
 * @example
 * try { await organizations.removeMember(organizationId, userId) }
 * catch (error) { if (error instanceof AuthSchemaError) reply(409, error.code) }
 */
export class AuthSchemaError extends StrataError {
  constructor(message: string, options: { code: string; cause?: unknown }) {
    super(message, options);
  }
}
