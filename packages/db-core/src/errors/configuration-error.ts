import { StrataError } from './strata-error.js';

/**
 * Invalid configuration given to a Strata function: a malformed connection string, an
 * invalid identifier, an out-of-range option. Raised before any connection is made; the
 * message never contains a password.
 *
 * @example
 * createDb({ connectionString: 'mysql://…' }); // throws ConfigurationError
 */
export class ConfigurationError extends StrataError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, code: 'STRATA_CONFIGURATION' });
  }
}
