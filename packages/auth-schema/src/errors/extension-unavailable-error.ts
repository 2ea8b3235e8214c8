import { AuthSchemaError } from './auth-schema-error.js';

/**
 * A PostgreSQL extension the schema needs (`citext`) is not installed and the current role
 * may not create it. Ask a superuser (or the database owner, `citext` being a trusted
 * extension since PostgreSQL 13) to run `create extension citext`.
 *
 * @example
 * catch (error) { if (error instanceof ExtensionUnavailableError) console.error(error.message) }
 */
export class ExtensionUnavailableError extends AuthSchemaError {
  readonly extension: string;

  constructor(extension: string, options: { cause?: unknown } = {}) {
    super(
      `The ${extension} extension is not installed and this role may not create it; run "create extension ${extension}" as a superuser or the database owner`,
      { code: 'STRATA_AUTH_EXTENSION_UNAVAILABLE', ...options },
    );
    this.extension = extension;
  }
}
