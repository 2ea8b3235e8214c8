import { inspect } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@strata/testkit';
import { createDb, type StrataDb } from './create-db.js';
import {
  CheckViolationError,
  ConfigurationError,
  ConnectionError,
  ForeignKeyViolationError,
  NotNullViolationError,
  PoolTimeoutError,
  StatementTimeoutError,
  StrataError,
  UniqueViolationError,
} from './index.js';

interface Database {
  parents: { id: number; name: string };
  children: { id: number; parent_id: number; age: number };
}

const database = useTestDatabase();
let admin: StrataDb<Database>;

beforeAll(async () => {
  admin = createDb<Database>({ connectionString: database.adminUrl, max: 2 });
  await sql`create table parents (id int primary key, name text not null unique)`.execute(admin);
  await sql`create table children (id int primary key, parent_id int not null references parents(id), age int not null check (age >= 0))`.execute(admin);
  await sql`grant select, insert, update, delete on parents, children to ${sql.id(database.appRole)}`.execute(admin);
});

afterAll(async () => {
  await admin?.close();
});

function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}

async function backendPid(db: StrataDb<Database>): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
  return rows[0]!.pid;
}

describe('createDb configuration', () => {
  it('ends its pool on close even if no query ever ran through Kysely', async () => {
    const db = createDb({ connectionString: database.appUrl });
    await db.pool.query('select 1');
    await db.close();
    expect(db.pool.ended).toBe(true);
  });

  it('never connects eagerly', async () => {
    const db = createDb({ connectionString: 'postgres://nobody:secret@127.0.0.1:1/none' });
    expect(db.poolStats()).toMatchObject({ total: 0, idle: 0, waiting: 0 });
    await db.close();
  });

  it.each([
    ['', 'non-empty'],
    ['not a url', 'not a valid URL'],
    ['mysql://user:hunter2@localhost/db', 'postgres://'],
    ['postgres://user:hunter2@localhost:99999/db', 'not a valid URL'],
    ['postgres://user:hunter2@localhost:0/db', 'invalid port'],
    ['postgres://user:hunter2@/db', 'not a valid URL'],
    ['postgres:///db', 'no host'],
  ])('rejects %j with a ConfigurationError that hides the password', (connectionString, fragment) => {
    const attempt = () => createDb({ connectionString });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(fragment);
    try {
      attempt();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2');
      expect((error as Error).cause).toBeUndefined();
    }
  });

  it('rejects out-of-range options before connecting', () => {
    expect(() => createDb({ connectionString: database.appUrl, max: 0 })).toThrow(ConfigurationError);
    expect(() => createDb({ connectionString: database.appUrl, connectionTimeoutMillis: -1 })).toThrow(ConfigurationError);
    expect(() => createDb({ connectionString: database.appUrl, statementTimeoutMillis: 1.5 })).toThrow(ConfigurationError);
    expect(() => createDb({ connectionString: database.appUrl, sessionSettings: 'bogus' as never })).toThrow(ConfigurationError);
  });

  it('keeps the password out of logs of the db and its pool', async () => {
    const db = createDb({ connectionString: database.appUrl });
    const password = passwordOf(database.appUrl);
    expect(inspect(db.pool.options, { depth: 5 })).not.toContain(password);
    expect(JSON.stringify(db.pool.options)).not.toContain(password);
    expect(db.redactedTarget).not.toContain(password);
    expect(db.redactedTarget).toContain(':***@');
    await db.close();
  });

  it('applies production defaults as session settings', async () => {
    const db = createDb({ connectionString: database.appUrl, applicationName: 'strata-test' });
    const { rows } = await sql<{ statement: string; idle: string; application: string }>`
      select current_setting('statement_timeout') as statement,
             current_setting('idle_in_transaction_session_timeout') as idle,
             current_setting('application_name') as application`.execute(db);
    expect(rows[0]).toEqual({ statement: '30s', idle: '1min', application: 'strata-test' });
    await db.close();
  });

  it('applies settings transaction-locally in pooler mode, with no extra round trip needed', async () => {
    const db = createDb({ connectionString: database.appUrl, sessionSettings: 'transaction-local', statementTimeoutMillis: 1_234, max: 1 });
    const autocommit = await sql<{ value: string }>`select current_setting('statement_timeout') as value`.execute(db);
    expect(autocommit.rows[0]!.value).toBe('1234ms');
    const inTransaction = await db.transaction().execute((trx) => sql<{ value: string }>`select current_setting('statement_timeout') as value`.execute(trx));
    expect(inTransaction.rows[0]!.value).toBe('1234ms');
    // Nothing leaks into the session: a raw query on the same connection sees the default.
    const raw = await db.pool.query<{ value: string }>(`select current_setting('statement_timeout') as value`);
    expect(raw.rows[0]!.value).not.toBe('1234ms');
    await db.close();
  });
});

describe('?pgbouncer=true', () => {
  it('selects pooler-safe settings and keeps the flag away from the driver', async () => {
    const url = new URL(database.appUrl);
    url.searchParams.set('pgbouncer', 'true');
    const db = createDb({ connectionString: url.toString(), statementTimeoutMillis: 4_321, max: 1 });
    expect(db.pool.options.connectionString).not.toContain('pgbouncer');
    const { rows } = await sql<{ value: string; prepared: string }>`
      select current_setting('statement_timeout') as value, (select count(*) from pg_prepared_statements)::text as prepared`.execute(db);
    expect(rows[0]).toEqual({ value: '4321ms', prepared: '0' });
    const session = await db.pool.query<{ value: string }>(`select current_setting('statement_timeout') as value`);
    expect(session.rows[0]!.value).not.toBe('4321ms');
    await db.close();
    url.searchParams.set('pgbouncer', 'yes');
    expect(() => createDb({ connectionString: url.toString() })).toThrow(ConfigurationError);
  });
});

describe('failures are typed and bounded', () => {
  it('maps an unreachable server to a ConnectionError without the password', async () => {
    const db = createDb({ connectionString: 'postgres://app:hunter2@127.0.0.1:1/app', connectionTimeoutMillis: 1_000 });
    const error = await db.selectFrom('parents' as never).selectAll().execute().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(String((error as Error).message)).not.toContain('hunter2');
    const health = await db.ping();
    expect(health.ok).toBe(false);
    await db.close();
  });

  it('fails in bounded time with PoolTimeoutError when the pool is exhausted', async () => {
    const db = createDb<Database>({ connectionString: database.appUrl, max: 1, connectionTimeoutMillis: 300 });
    await db.connection().execute(async () => {
      const started = Date.now();
      const error = await db.selectFrom('parents').selectAll().execute().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PoolTimeoutError);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(Date.now() - started).toBeLessThan(3_000);
    });
    expect(await db.selectFrom('parents').selectAll().execute()).toEqual([]);
    await db.close();
  });

  it('honours statement_timeout with a StatementTimeoutError', async () => {
    const db = createDb({ connectionString: database.appUrl, statementTimeoutMillis: 100 });
    await expect(sql`select pg_sleep(2)`.execute(db)).rejects.toBeInstanceOf(StatementTimeoutError);
    await db.close();
  });

  // Killing the backend under a client is about direct connections: behind a pooler the
  // pooler absorbs it (tooling/reliability covers that case).
  it('survives a backend killed while checked out, and the next query gets a new connection', async () => {
    const db = createDb<Database>({ connectionString: database.directAppUrl, max: 1 });
    const firstPid = await backendPid(db);
    const error = await db
      .connection()
      .execute(async (connection) => {
        const pid = await backendPid(connection as never);
        await sql`select pg_terminate_backend(${pid})`.execute(admin);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return await sql`select 1`.execute(connection);
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    const secondPid = await backendPid(db);
    expect(secondPid).not.toBe(firstPid);
    await db.close();
  });

  it('survives an idle backend being killed, reporting it as a background error', async () => {
    const reported: Error[] = [];
    const db = createDb<Database>({ connectionString: database.directAppUrl, max: 1, onBackgroundError: (error) => reported.push(error) });
    const firstPid = await backendPid(db);
    await sql`select pg_terminate_backend(${firstPid})`.execute(admin);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reported.length).toBeGreaterThan(0);
    expect(reported[0]).toBeInstanceOf(StrataError);
    expect(await backendPid(db)).not.toBe(firstPid);
    await db.close();
  });

  it('maps constraint violations to typed errors with SQLSTATE, constraint and table', async () => {
    const db = createDb<Database>({ connectionString: database.appUrl });
    await db.insertInto('parents').values({ id: 1, name: 'one' }).execute();
    const unique = await db.insertInto('parents').values({ id: 2, name: 'one' }).execute().catch((caught: unknown) => caught);
    expect(unique).toBeInstanceOf(UniqueViolationError);
    expect(unique).toMatchObject({ code: '23505', constraint: 'parents_name_key', table: 'parents' });
    expect((unique as Error).cause).toBeDefined();
    await expect(db.insertInto('children').values({ id: 1, parent_id: 999, age: 1 }).execute()).rejects.toBeInstanceOf(ForeignKeyViolationError);
    await expect(db.insertInto('children').values({ id: 1, parent_id: 1, age: -1 }).execute()).rejects.toBeInstanceOf(CheckViolationError);
    await expect(
      db.insertInto('children').values({ id: 1, parent_id: 1, age: null as never }).execute(),
    ).rejects.toMatchObject({ constructor: NotNullViolationError, column: 'age' });
    await db.close();
  });
});

describe('health', () => {
  it('pings with latency and reports pool statistics', async () => {
    const db = createDb({ connectionString: database.appUrl, max: 3 });
    const health = await db.ping();
    expect(health.ok).toBe(true);
    expect(health.latencyMillis).toBeGreaterThan(0);
    expect(db.poolStats()).toEqual({ total: 1, idle: 1, waiting: 0, max: 3 });
    await db.close();
    await db.close();
  });
});
