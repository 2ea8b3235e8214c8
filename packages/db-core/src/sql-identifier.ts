import { ConfigurationError } from './errors/configuration-error.js';

const identifierPattern = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * Validates a plain SQL identifier (letters, digits, `_`, `$`; at most 63 characters) and
 * returns it double-quoted. Strata refuses anything else rather than trying to escape it,
 * so a table or column name from configuration can never carry SQL.
 *
 * @example
 * quoteIdentifier('tenant_notes'); // '"tenant_notes"'
 */
export function quoteIdentifier(name: string, what = 'identifier'): string {
  if (typeof name !== 'string' || !identifierPattern.test(name)) {
    throw new ConfigurationError(`Invalid ${what}: expected letters, digits or _ (max 63 characters)`);
  }
  return `"${name}"`;
}

/**
 * Validates a custom setting name such as `app.tenant_id` (PostgreSQL requires a dot in
 * custom setting names).
 *
 * @example
 * validateSettingName('app.tenant_id');
 */
export function validateSettingName(name: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.length > 63) {
    throw new ConfigurationError('Invalid setting name: expected prefix.name, e.g. app.tenant_id');
  }
  return name;
}
