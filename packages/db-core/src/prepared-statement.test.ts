import { useTestDatabase } from '@strata/testkit';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type StrataDb } from './create-db.js';
import { asPreparedStatement } from './prepared-statement.js';

const database = useTestDatabase();
const opened: StrataDb<unknown>[] = [];
afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
});

function open(sessionSettings: 'startup-parameters' | 'transaction-local'): StrataDb<unknown> {
  const db = createDb<unknown>({ connectionString: database.adminUrl, max: 1, sessionSettings });
  opened.push(db);
  return db;
}

async function preparedNames(db: StrataDb<unknown>): Promise<string[]> {
  const result = await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(db);
  return result.rows.map((row) => row.name);
}

describe('asPreparedStatement', () => {
  it('prepares once per direct connection and survives DEALLOCATE ALL', async () => {
    const db = open('startup-parameters');
    const lookup = (value: number) => asPreparedStatement(CompiledQuery.raw('select $1::int + 1 as next', [value]), 'strata_test_next');
    expect((await db.executeQuery<{ next: number }>(lookup(1))).rows).toEqual([{ next: 2 }]);
    expect((await db.executeQuery<{ next: number }>(lookup(41))).rows).toEqual([{ next: 42 }]);
    expect(await preparedNames(db)).toContain('strata_test_next');
    await sql`deallocate all`.execute(db);
    expect((await db.executeQuery<{ next: number }>(lookup(2))).rows).toEqual([{ next: 3 }]);
  });

  it('runs unnamed behind a pooler (transaction-local settings)', async () => {
    const db = open('transaction-local');
    const query = asPreparedStatement(CompiledQuery.raw('select 7 as seven', []), 'strata_test_pooled');
    expect((await db.executeQuery<{ seven: number }>(query)).rows).toEqual([{ seven: 7 }]);
    expect(await preparedNames(db)).not.toContain('strata_test_pooled');
  });
});
