import { createRequire } from 'node:module';
import { createDb, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema } from './testing/test-schema-setup.js';

/*
 * Each entry point is bundled on its own (ESM and CJS), so shared state must not live in a
 * module: the Auth.js adapter has to work on an adapter made through the main entry, and the
 * errors a subpath throws have to be `instanceof` the main entry's classes. These tests load
 * the built files (turbo builds the package before its tests).
 */

type MainEntry = typeof import('./index.js');
type AuthJsEntry = typeof import('./authjs.js');
type DrizzleEntry = typeof import('./drizzle.js');

const database = useTestDatabase();
const require = createRequire(import.meta.url);
let db: StrataDb<any>;
let esm: { main: MainEntry; authjs: AuthJsEntry; drizzle: DrizzleEntry };

beforeAll(async () => {
  await createTestSchema(database, 'kysely');
  db = createDb<any>({ connectionString: database.appUrl });
  esm = {
    main: (await import('../dist/index.js' as string)) as MainEntry,
    authjs: (await import('../dist/authjs.js' as string)) as AuthJsEntry,
    drizzle: (await import('../dist/drizzle.js' as string)) as DrizzleEntry,
  };
});

afterAll(async () => {
  await db?.close();
});

describe('the built entry points', () => {
  it('Auth.js adapter (ESM and CJS) works on an adapter from the main entry (ESM and CJS)', async () => {
    const cjsMain = require('../dist/index.cjs') as MainEntry;
    const cjsAuthJs = require('../dist/authjs.cjs') as AuthJsEntry;
    const tables = { users: 'app_users' } as const;
    const pairs = [
      [esm.main, esm.authjs],
      [cjsMain, cjsAuthJs],
      [esm.main, cjsAuthJs],
    ] as const;
    for (const [index, [main, authjs]] of pairs.entries()) {
      const adapter = authjs.createAuthJsAdapter(main.createAuthAdapter({ db, tables }));
      const user = await adapter.createUser({ id: 'x', email: `built${index}@example.com`, emailVerified: null });
      await adapter.createSession({ sessionToken: `built-${index}`, userId: user.id, expires: new Date(Date.now() + 60_000) });
      expect((await adapter.getSessionAndUser(`built-${index}`))?.user.email).toBe(`built${index}@example.com`);
    }
  });

  it("errors thrown by a subpath are instanceof the main entry's classes", async () => {
    const users = pgTable('app_users', { ...esm.drizzle.primaryKeyColumn(), ...esm.drizzle.userColumns(), displayName: text('display_name') });
    const auth = esm.main.createAuthAdapter({ db, tables: esm.drizzle.drizzleAuthTables({ users }) });
    const failure = await auth.createUser({ email: 'x@example.com', notAColumn: 1 } as never).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(esm.main.InvalidInputError);
    expect(failure).toBeInstanceOf((require('../dist/index.cjs') as MainEntry).AuthSchemaError);
  });
});
