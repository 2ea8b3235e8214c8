import { AuthSchemaError } from './auth-schema-error.js';

/**
 * An argument failed validation before any SQL ran (malformed email, an id that is not a
 * UUID, an oversized or empty field, an unknown column). Nothing was written.
 *
 * @example
 * catch (error) { if (error instanceof InvalidInputError) reply(422, { field: error.field }) }
 */
export class InvalidInputError extends AuthSchemaError {
  /** The offending field, as the caller named it. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`Invalid ${field}: ${problem}`, { code: 'STRATA_AUTH_INVALID_INPUT' });
    this.field = field;
  }
}

/**
 * The record an operation needs does not exist (unknown user, organization, invitation…).
 * Lookups (`get…`) return `null` instead; operations that change a record throw this.
 *
 * @example
 * catch (error) { if (error instanceof RecordNotFoundError) reply(404) }
 */
export class RecordNotFoundError extends AuthSchemaError {
  /** What was missing: `user`, `organization`, `invitation`, `team`, `member`… */
  readonly entity: string;
  readonly id: string | undefined;

  constructor(entity: string, id?: string, options: { cause?: unknown } = {}) {
    super(id === undefined ? `No such ${entity}` : `No ${entity} with id ${id}`, {
      code: 'STRATA_AUTH_NOT_FOUND',
      cause: options.cause,
    });
    this.entity = entity;
    this.id = id;
  }
}
