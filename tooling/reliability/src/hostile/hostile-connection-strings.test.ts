import { inspect } from 'node:util';
import { ConfigurationError, createDb, parseConnectionString, redactConnectionString, StrataError } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeServer } from '../load/server-description.js';
import { scaled } from '../load/suite-scale.js';
import { recordSuiteResult } from '../report/suite-result.js';
import { checkProperty, containsSecret, errorTexts, hostileString } from './hostile-arbitraries.js';

const database = useTestDatabase();

/**
 * A password that is easy to find in any text: a marker plus random characters from the set
 * that breaks URL parsers (`@ / : # ? % & = space quote backslash` and unicode).
 */
const password = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'@/:#?%&= \'"\\+;,[]{}~!$*ÄΩ字'.split(''), 'a', 'b', '1'), minLength: 0, maxLength: 12 }),
    fc.stringMatching(/^[a-z0-9]{8}$/),
  )
  .map(([special, random]) => `Pw${random}${special}`);

/** The ways people write connection strings, with the password in every position it can go. */
const connectionString = fc
  .tuple(
    password,
    fc.constantFrom('postgres', 'postgresql', 'postgress', 'mysql', 'http', ''),
    fc.constantFrom('app', 'a:b', 'user@x', '', 'ü'),
    fc.constantFrom('127.0.0.1:1', 'localhost', '[::1]:1', '127.0.0.1:99999', 'host with space', ''),
    fc.constantFrom('db', '', 'd/b', '%zz', 'db?sslmode=disable', 'db#x'),
    fc.constantFrom('raw', 'encoded', 'query', 'keyword', 'garbage'),
    hostileString,
  )
  .map(([secret, scheme, user, host, databaseName, style, garbage]) => {
    const prefix = scheme === '' ? '' : `${scheme}://`;
    switch (style) {
      case 'raw':
        return { secret, text: `${prefix}${user}:${secret}@${host}/${databaseName}` };
      case 'encoded':
        return { secret, text: `${prefix}${encodeURIComponent(user)}:${encodeURIComponent(secret)}@${host}/${databaseName}` };
      case 'query':
        return { secret, text: `${prefix}${user}@${host}/${databaseName}?password=${secret}` };
      case 'keyword':
        return { secret, text: `host=${host} user=${user} password=${secret} dbname=${databaseName}` };
      default:
        return { secret, text: `${prefix}${user}:${secret}@${garbage}` };
    }
  });

/** Mostly well-formed (so createDb accepts them and a connection is attempted), some hostile. */
const connectableString = fc.oneof(
  { weight: 3, arbitrary: password.map((secret) => ({ secret, text: `postgres://app:${encodeURIComponent(secret)}@127.0.0.1:1/db` })) },
  { weight: 1, arbitrary: connectionString },
);

describe('hostile connection strings', () => {
  it('never put a password into an error, a redacted string, a parsed result or the pool options', async ({ task }) => {
    const started = performance.now();
    const problems: string[] = [];
    let tried = 0;
    let refused = 0;
    let connected = 0;
    let attempted = 0;
    const leak = (where: string, text: string, secret: string, input: string) => {
      if (containsSecret(text, secret)) problems.push(`password in ${where} for ${JSON.stringify(input)}: ${text.slice(0, 160)}`);
    };

    await checkProperty(
      fc.property(connectionString, ({ secret, text }) => {
        const before = problems.length;
        tried += 1;
        leak('redactConnectionString', redactConnectionString(text), secret, text);
        try {
          const info = parseConnectionString(text);
          leak('the parsed result', JSON.stringify(info), secret, text);
        } catch (error) {
          if (!(error instanceof ConfigurationError)) problems.push(`parse threw ${String(error)}`);
          refused += 1;
          leak('a parse error', errorTexts(error), secret, text);
        }
        return problems.length === before;
      }),
      { numRuns: scaled(5_000, 500) },
      problems,
    );

    // createDb, then a real connection attempt (nothing listens on port 1; the harness
    // server refuses a wrong password): every error, the db and its pool stay password-free.
    await checkProperty(
      fc.asyncProperty(connectableString, fc.boolean(), async ({ secret, text }, towardsRealServer) => {
        const before = problems.length;
        tried += 1;
        let target = text;
        if (towardsRealServer) {
          const real = new URL(database.directAppUrl);
          target = text.replace(/127\.0\.0\.1:1|localhost|\[::1\]:1/, `${real.hostname}:${real.port || 5432}`);
        }
        let db: ReturnType<typeof createDb> | undefined;
        try {
          db = createDb({ connectionString: target, connectionTimeoutMillis: 500, onBackgroundError: () => undefined });
        } catch (error) {
          if (!(error instanceof ConfigurationError)) problems.push(`createDb threw ${String(error)}`);
          refused += 1;
          leak('a createDb error', errorTexts(error), secret, target);
          return problems.length === before;
        }
        try {
          leak('db.redactedTarget', db.redactedTarget, secret, target);
          leak('the pool options', `${JSON.stringify(db.pool.options)} ${inspect(db.pool.options)}`, secret, target);
          attempted += 1;
          await db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
          connected += 1;
        } catch (error) {
          if (!(error instanceof StrataError)) problems.push(`untyped ${String(error)}`);
          leak('a connection error', errorTexts(error), secret, target);
        } finally {
          await db.close();
        }
        return problems.length === before;
      }),
      { numRuns: scaled(300, 40) },
      problems,
    );

    recordSuiteResult(task, {
      suite: 'Hostile input',
      scenario: 'connection strings (parse, redact, createDb, connect)',
      operations: tried,
      concurrency: 1,
      faultsInjected: refused,
      rowsChecked: tried,
      leaksFound: problems.length,
      durationMillis: performance.now() - started,
      notes: `passwords full of URL metacharacters in raw, encoded, query and keyword forms: ${refused} refused with ConfigurationError, ${attempted} connection attempts (${connected} succeeded); no password in any message, stack, redacted string or pool dump`,
      server: await describeServer(database.adminUrl, database.serverKind),
    });
    expect(problems).toEqual([]);
  });
});
