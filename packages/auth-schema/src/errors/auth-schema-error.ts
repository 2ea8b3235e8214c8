/**
 * Base class of every error `@strata/auth-schema` raises on purpose. `code` is a stable
 * `STRATA_AUTH_*` string. Messages never contain tokens, passwords or password hashes.
 *
 * @example
 * try { await organizations.removeMember(organizationId, userId) }
 * catch (error) { if (error instanceof AuthSchemaError) reply(409, error.code) }
 */
export class AuthSchemaError extends Error {
  /** A stable, machine-readable code such as `STRATA_AUTH_LAST_OWNER`. */
  readonly code: string;

  constructor(message: string, options: { code: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
  }
}
