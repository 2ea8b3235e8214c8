import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './test-database.js';

const database = useTestDatabase();

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('test database harness', () => {
  it('gives the app role no superuser, no BYPASSRLS and no ownership', async () => {
    const [role] = await query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      database.appUrl,
      'select rolsuper, rolbypassrls from pg_roles where rolname = current_user',
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('lets the owner create tables the app role can use but does not own', async () => {
    await query(database.ownerUrl, 'create table harness_probe (id int primary key)');
    await query(database.appUrl, 'insert into harness_probe values (1)');
    const rows = await query<{ owner: string }>(
      database.appUrl,
      `select tableowner as owner from pg_tables where tablename = 'harness_probe'`,
    );
    expect(rows).toEqual([{ owner: database.ownerRole }]);
    await expect(query(database.appUrl, 'drop table harness_probe')).rejects.toThrow(/must be owner/);
  });

  it('copies the template with citext available', async () => {
    const rows = await query<{ extname: string }>(database.adminUrl, `select extname from pg_extension where extname = 'citext'`);
    expect(rows).toHaveLength(1);
  });
});
