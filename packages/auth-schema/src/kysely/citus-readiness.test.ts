import { lintTenantKeys } from '@strata/db-core';
import { createTestDatabase, type TestDatabase } from '@strata/testkit';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type SchemaDialect } from '../testing/test-schema-setup.js';

/*
 * Issue 7: the organization tables must be distributable by organization (Citus), so every
 * key on a table with `organization_id` has to include it. Checked on the schema built by
 * the Kysely mixins and on the one drizzle-kit generates from the Drizzle column sets.
 */

const dialects: SchemaDialect[] = ['kysely', 'drizzle'];
const databases = new Map<SchemaDialect, TestDatabase>();

function ownerDb(dialect: SchemaDialect): Kysely<any> {
  const database = databases.get(dialect)!;
  return new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.ownerUrl }) }) });
}

beforeAll(async () => {
  const created = await Promise.all(dialects.map(() => createTestDatabase()));
  dialects.forEach((dialect, index) => databases.set(dialect, created[index]!));
  for (const dialect of dialects) await createTestSchema(databases.get(dialect)!, dialect);
});

afterAll(async () => {
  await Promise.all([...databases.values()].map((database) => database.drop()));
});

describe.each(dialects)('the organization tables built with %s', (dialect) => {
  it('pass the Citus tenant-key lint with organization_id as the distribution column', async () => {
    const db = ownerDb(dialect);
    try {
      const report = await lintTenantKeys(db, { tenantColumn: 'organization_id' });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect([...report.tenantTables].sort()).toEqual(
        ['public.invitations', 'public.members', 'public.team_members', 'public.teams'],
      );
    } finally {
      await db.destroy();
    }
  });

  it('keep lookups by id alone on an index', async () => {
    const db = ownerDb(dialect);
    try {
      await db.connection().execute(async (connection) => {
        // The tables are empty, so without this the planner would pick a sequential scan anyway.
        await sql`set enable_seqscan = off`.execute(connection);
        for (const table of ['members', 'invitations', 'teams', 'team_members']) {
          const { rows } = await sql<{ 'QUERY PLAN': string }>`
            explain select * from ${sql.table(table)} where id = ${'00000000-0000-0000-0000-000000000000'}::uuid
          `.execute(connection);
          const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
          expect(plan).toContain(`${table}_id_idx`);
        }
      });
    } finally {
      await db.destroy();
    }
  });
});
