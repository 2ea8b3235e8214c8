import type { TestDatabase as HarnessDatabase } from '@strata/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { generateDrizzleMigrationSql } from './drizzle-migration-sql.js';
import { drizzleTestSchema } from './drizzle-test-schema.js';
import { createKyselyTestSchema } from './kysely-test-schema.js';

/** Which dialect built the test schema. */
export type SchemaDialect = 'kysely' | 'drizzle';

/** Creates the test schema as the database owner, with the Kysely mixins or drizzle-kit's SQL. */
export async function createTestSchema(database: HarnessDatabase, dialect: SchemaDialect): Promise<void> {
  if (dialect === 'kysely') {
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.ownerUrl }) }) });
    try {
      await createKyselyTestSchema(db);
    } finally {
      await db.destroy();
    }
    return;
  }
  const client = new pg.Client({ connectionString: database.ownerUrl });
  await client.connect();
  try {
    for (const statement of await generateDrizzleMigrationSql(drizzleTestSchema)) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Runs one query as superuser (for checks that must see past RLS, and for fixtures). */
export async function adminQuery<Row extends pg.QueryResultRow = Record<string, unknown>>(
  database: HarnessDatabase,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: database.adminUrl });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Row counts of every table, to prove a failed operation wrote nothing. */
export async function tableCounts(database: HarnessDatabase): Promise<Record<string, number>> {
  const tables = await adminQuery<{ name: string }>(
    database,
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await adminQuery<{ count: string }>(database, `select count(*) as count from ${pg.escapeIdentifier(name)}`);
    counts[name] = Number(row!.count);
  }
  return counts;
}
