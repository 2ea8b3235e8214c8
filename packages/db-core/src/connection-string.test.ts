import { describe, expect, it } from 'vitest';
import { parseConnectionString, redactConnectionString, redactSecrets } from './connection-string.js';
import { ConfigurationError } from './errors/configuration-error.js';

/**
 * Passwords that URL parsers choke on or misread (found by the reliability suite's fast-check property
 * over connection strings): the string cannot be parsed, so the error must not echo it, and
 * redaction cannot rely on the password being URL-shaped.
 */
const unparseable: ReadonlyArray<readonly [string, string]> = [
  ['postgresql://a:b:Pw35dxe3e1 ~1,:[]1{@host/db', 'Pw35dxe3e1 ~1'],
  ['postgres://app:Pw/slash9@host/db', 'Pw/slash9'],
  ['postgres://app:Pw#hash99@host/db', 'Pw#hash99'],
  ['postgres://app:Pw?query9@host/db', 'Pw?query9'],
  ['postgres://app:Pw@at@sign9@host/db', 'Pw@at@sign9'],
  ['http://app:Pwa0a0a00a#@', 'Pwa0a0a00a'],
  ["postgres://app:Pw secret'; drop table notes; --@host/db", 'Pw secret'],
  ['app:Pwnoscheme9@host/db', 'Pwnoscheme9'],
  ['postgres://user@corp:Pwatuser9@host/db', 'Pwatuser9'],
];

describe('connection string redaction', () => {
  it.each(unparseable)('keeps the password of %j out of the parse error or the parsed result', (connectionString, password) => {
    try {
      // WHATWG URL parsing is lenient: some of these parse (an unencoded @ or space).
      expect(JSON.stringify(parseConnectionString(connectionString))).not.toContain(password);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).not.toContain(password);
      expect((error as Error).stack).not.toContain(password);
    }
  });

  it.each(unparseable)('redactConnectionString hides the password of %j', (connectionString, password) => {
    expect(redactConnectionString(connectionString)).not.toContain(password);
  });

  it('redacts any scheme and unencoded slashes in free text', () => {
    expect(redactSecrets('connect mysql://app:Pw/x9@db/app failed')).toBe('connect mysql://app:***@db/app failed');
  });

  it('still shows everything but the password of a well-formed URL', () => {
    expect(redactConnectionString('postgres://app:s3cret@localhost:5432/app?sslmode=disable')).toBe(
      'postgres://app:***@localhost:5432/app?sslmode=disable',
    );
    expect(parseConnectionString('postgres://app:s3cret@localhost:5432/app').redacted).toBe('postgres://app:***@localhost:5432/app');
  });
});
