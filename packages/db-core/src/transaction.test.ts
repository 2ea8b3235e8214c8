import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@strata/testkit';
import { createDb, type StrataDb } from './create-db.js';
import { ConfigurationError, SerializationFailureError, TransactionRolledBackError, UniqueViolationError } from './index.js';
import { isRetryableTransactionError, transaction } from './transaction.js';

interface Database {
  counters: { id: number; value: number };
}

const database = useTestDatabase();
let db: StrataDb<Database>;

beforeAll(async () => {
  const owner = createDb<Database>({ connectionString: database.ownerUrl });
  await sql`create table counters (id int primary key, value int not null)`.execute(owner);
  await owner.close();
  db = createDb<Database>({ connectionString: database.appUrl, max: 4 });
});

afterAll(async () => {
  await db?.close();
});

describe('transaction', () => {
  it('commits on success and rolls back on error', async () => {
    await transaction(db, (trx) => trx.insertInto('counters').values({ id: 1, value: 0 }).execute());
    await expect(
      transaction(db, async (trx) => {
        await trx.updateTable('counters').set({ value: 100 }).where('id', '=', 1).execute();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.selectFrom('counters').select('value').where('id', '=', 1).executeTakeFirst()).toEqual({ value: 0 });
  });

  it('retries serialization failures until every concurrent increment lands', async () => {
    const retries: number[] = [];
    const increment = () =>
      transaction(
        db,
        async (trx) => {
          const row = await trx.selectFrom('counters').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
          await new Promise((resolve) => setTimeout(resolve, 5));
          await trx.updateTable('counters').set({ value: row.value + 1 }).where('id', '=', 1).execute();
        },
        { isolation: 'serializable', retries: 30, onRetry: (attempt) => retries.push(attempt) },
      );
    await Promise.all(Array.from({ length: 8 }, increment));
    expect(await db.selectFrom('counters').select('value').where('id', '=', 1).executeTakeFirst()).toEqual({ value: 8 });
    expect(retries.length).toBeGreaterThan(0);
  });

  it('surfaces a SerializationFailureError when retries are exhausted', async () => {
    await db.updateTable('counters').set({ value: 0 }).where('id', '=', 1).execute();
    const increment = () =>
      transaction(
        db,
        async (trx) => {
          const row = await trx.selectFrom('counters').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
          await new Promise((resolve) => setTimeout(resolve, 20));
          await trx.updateTable('counters').set({ value: row.value + 1 }).where('id', '=', 1).execute();
        },
        { isolation: 'serializable', retries: 0 },
      );
    const outcomes = await Promise.allSettled([increment(), increment(), increment()]);
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(SerializationFailureError);
    }
  });

  it('refuses to report success when COMMIT was answered with ROLLBACK', async () => {
    const error = await transaction(db, async (trx) => {
      await trx.insertInto('counters').values({ id: 50, value: 50 }).execute();
      // A failed statement whose error the app swallows: the transaction is now aborted.
      await trx.insertInto('counters').values({ id: 50, value: 51 }).execute().catch(() => undefined);
      return 'looked fine';
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionRolledBackError);
    expect(await db.selectFrom('counters').select('id').where('id', '=', 50).executeTakeFirst()).toBeUndefined();
  });

  it('never retries other errors', async () => {
    let attempts = 0;
    await expect(
      transaction(
        db,
        async (trx) => {
          attempts += 1;
          await trx.insertInto('counters').values({ id: 1, value: 1 }).execute();
        },
        { retries: 5 },
      ),
    ).rejects.toBeInstanceOf(UniqueViolationError);
    expect(attempts).toBe(1);
  });

  it('runs inside an existing transaction without nesting', async () => {
    await db.transaction().execute(async (outer) => {
      await transaction(outer, (trx) => trx.insertInto('counters').values({ id: 2, value: 2 }).execute());
      expect(await outer.selectFrom('counters').select('id').where('id', '=', 2).executeTakeFirst()).toEqual({ id: 2 });
    });
  });

  it('validates options and knows what is retryable', async () => {
    await expect(transaction(db, async () => 1, { retries: -1 })).rejects.toBeInstanceOf(ConfigurationError);
    expect(isRetryableTransactionError({ code: '40P01' })).toBe(true);
    expect(isRetryableTransactionError({ code: '23505' })).toBe(false);
  });

  it('supports savepoints through Kysely', async () => {
    const trx = await db.startTransaction().execute();
    const savepoint = await trx.savepoint('before_insert').execute();
    await savepoint.insertInto('counters').values({ id: 3, value: 3 }).execute();
    await savepoint.insertInto('counters').values({ id: 4, value: 4 }).execute();
    const rolledBack = await savepoint.rollbackToSavepoint('before_insert').execute();
    await rolledBack.insertInto('counters').values({ id: 5, value: 5 }).execute();
    await rolledBack.commit().execute();
    expect(await db.selectFrom('counters').select('id').where('id', 'in', [3, 4, 5]).execute()).toEqual([{ id: 5 }]);
    expect(await db.selectFrom('counters').select('id').where('id', '=', 3).executeTakeFirst()).toBeUndefined();
  });
});
