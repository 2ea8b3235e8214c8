import { ConfigurationError } from './errors/configuration-error.js';

// Any scheme (a mistyped `postgress://` or `mysql://` carries a password just the same); the
// password may hold unencoded `/`, `:` or `#`, which URL parsers stop at.
const credentialsPattern = /\b([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*):([^@\s]*)@/gi;
const passwordParameterPattern = /\b(password=)('(?:[^'\\]|\\.)*'|[^&\s]+)/gi;
// In a single connection string, everything between `user:` and the LAST `@` is the
// password, spaces and unencoded `@` included: hide all of it (also without a scheme:
// `user:password@host/db` is a common mistake, and with an unencoded `@` in the user name).
const wholeStringCredentialsPattern = /^(\s*(?:[a-z][a-z0-9+.-]*:\/\/)?[^:/\s]*):[\s\S]*@/i;

/**
 * Removes passwords from any text that may contain a connection string: the
 * `user:password@` part of a URL and `password=` parameters become `***`.
 *
 * @example
 * redactSecrets('connect postgres://app:s3cret@db/app failed'); // 'connect postgres://app:***@db/app failed'
 */
export function redactSecrets(text: string): string {
  return text.replace(credentialsPattern, '$1$2:***@').replace(passwordParameterPattern, '$1***');
}

/**
 * A connection string with its password replaced by `***`, safe to log.
 *
 * @example
 * redactConnectionString('postgres://app:s3cret@localhost:5432/app'); // 'postgres://app:***@localhost:5432/app'
 */
export function redactConnectionString(connectionString: string): string {
  return redactSecrets(String(connectionString).replace(wholeStringCredentialsPattern, '$1:***@'));
}

/** What `parseConnectionString` found in a valid connection string (no password). */
export interface ConnectionStringInfo {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** The connection string with the password redacted, for logs and errors. */
  readonly redacted: string;
  /**
   * `?pgbouncer=true` was given (the convention Prisma uses): the target is a transaction
   * pooler, so `createDb` defaults to pooler-safe settings.
   */
  readonly pgbouncer: boolean;
}

/**
 * The connection string without Strata's own parameters, as handed to `pg`. Kept apart from
 * `ConnectionStringInfo` on purpose: it holds the password, the info must never.
 */
export function driverConnectionString(connectionString: string): string {
  const url = new URL(connectionString);
  if (!url.searchParams.has('pgbouncer')) return connectionString;
  url.searchParams.delete('pgbouncer');
  return url.toString();
}

/**
 * Validates a PostgreSQL URL (`postgres://` or `postgresql://`) before anything connects:
 * scheme, host (or a `host=` socket parameter), port range and database name. Throws a
 * `ConfigurationError` whose message never contains the password.
 *
 * @example
 * parseConnectionString('postgres://app@localhost:5432/app').database; // 'app'
 */
export function parseConnectionString(connectionString: string): ConnectionStringInfo {
  if (typeof connectionString !== 'string' || connectionString.trim() === '') {
    throw new ConfigurationError('Connection string must be a non-empty string');
  }
  const redacted = redactConnectionString(connectionString);
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    // No `cause`: URL's TypeError carries the raw input, password included. The redaction
    // hides everything between `user:` and the last `@`, so an unencoded space, slash or
    // `#` in the password cannot make it leak.
    throw new ConfigurationError(`Connection string is not a valid URL: ${redacted}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigurationError(`Connection string must start with postgres:// or postgresql://, got ${url.protocol}//`);
  }
  const socketHost = url.searchParams.get('host');
  if (!url.hostname && !socketHost) {
    throw new ConfigurationError(`Connection string has no host: ${redacted}`);
  }
  const port = url.port === '' ? 5432 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConfigurationError(`Connection string has an invalid port: ${redacted}`);
  }
  let database: string;
  let user: string;
  try {
    database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    user = decodeURIComponent(url.username);
  } catch {
    throw new ConfigurationError(`Connection string has invalid percent-encoding: ${redacted}`);
  }
  if (database.includes('/')) {
    throw new ConfigurationError(`Connection string has an invalid database name: ${redacted}`);
  }
  const pgbouncerParameter = url.searchParams.get('pgbouncer');
  if (pgbouncerParameter !== null && pgbouncerParameter !== 'true' && pgbouncerParameter !== 'false') {
    throw new ConfigurationError(`Connection string parameter pgbouncer must be true or false: ${redacted}`);
  }
  return {
    host: url.hostname || socketHost || '',
    port,
    database: database || user,
    user,
    redacted,
    pgbouncer: pgbouncerParameter === 'true',
  };
}
