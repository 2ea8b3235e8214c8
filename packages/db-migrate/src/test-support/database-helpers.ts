import { createTestDatabase, type TestDatabase } from '@strata/testkit';
import pg from 'pg';
import { onTestFinished } from 'vitest';

/** A fresh database for one test, dropped when the test finishes. */
export async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  onTestFinished(async () => await database.drop());
  return database;
}

/** Runs one query on a short-lived connection and returns its rows. */
export async function queryRows<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Names of the tables in a schema (default `public`), sorted. */
export async function tableNames(url: string, schema = 'public'): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    url,
    'select table_name from information_schema.tables where table_schema = $1 order by table_name',
    [schema],
  );
  return rows.map((row) => row.table_name);
}
