import { createTestDatabase, type TestDatabase } from '@strata/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogSnapshot, type CatalogSnapshot } from '../testing/catalog-snapshot.js';
import { generateDrizzleMigrationSql } from '../testing/drizzle-migration-sql.js';
import { drizzleTestSchema } from '../testing/drizzle-test-schema.js';
import { createKyselyTestSchema } from '../testing/kysely-test-schema.js';

let kyselyDatabase: TestDatabase;
let drizzleDatabase: TestDatabase;
let kyselyCatalog: CatalogSnapshot;
let drizzleCatalog: CatalogSnapshot;
let drizzleStatements: string[];

beforeAll(async () => {
  [kyselyDatabase, drizzleDatabase] = await Promise.all([createTestDatabase(), createTestDatabase()]);

  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: kyselyDatabase.ownerUrl }) }) });
  try {
    await createKyselyTestSchema(db);
  } finally {
    await db.destroy();
  }

  drizzleStatements = await generateDrizzleMigrationSql(drizzleTestSchema);
  const client = new pg.Client({ connectionString: drizzleDatabase.ownerUrl });
  await client.connect();
  try {
    for (const statement of drizzleStatements) await client.query(statement);
  } finally {
    await client.end();
  }

  [kyselyCatalog, drizzleCatalog] = await Promise.all([
    readCatalogSnapshot(kyselyDatabase.adminUrl),
    readCatalogSnapshot(drizzleDatabase.adminUrl),
  ]);
});

afterAll(async () => {
  await Promise.all([kyselyDatabase?.drop(), drizzleDatabase?.drop()]);
});

describe('the Kysely mixins and the Drizzle column sets (applied through drizzle-kit generated SQL)', () => {
  it('create the same tables', () => {
    expect(kyselyCatalog.tables).toHaveLength(12);
    expect(drizzleCatalog.tables).toEqual(kyselyCatalog.tables);
  });

  it('create the same columns, in the same order, with the same types, nullability and defaults', () => {
    expect(drizzleCatalog.columns).toEqual(kyselyCatalog.columns);
    const email = kyselyCatalog.columns.find((column) => column.table === 'app_users' && column.name === 'email');
    expect(email).toMatchObject({ type: 'citext', notNull: true });
  });

  it('create the same indexes, partial predicates included', () => {
    expect(drizzleCatalog.indexes).toEqual(kyselyCatalog.indexes);
    const pending = kyselyCatalog.indexes.find((index) => index.name === 'invitations_organization_id_email_pending_key');
    expect(pending?.definition).toMatch(/^CREATE UNIQUE INDEX .* \(organization_id, email\) WHERE \(status = 'pending'::text\)$/);
  });

  it('create the same constraints', () => {
    expect(drizzleCatalog.constraints).toEqual(kyselyCatalog.constraints);
    const names = kyselyCatalog.constraints.map((constraint) => constraint.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'accounts_provider_provider_account_id_key',
        'members_organization_id_user_id_key',
        'members_pkey',
        'team_members_pkey',
        'team_members_organization_id_team_id_user_id_key',
        'team_members_organization_id_team_id_fkey',
        'invitations_organization_id_team_id_fkey',
        'team_members_organization_id_user_id_fkey',
        'invitations_status_check',
      ]),
    );
  });

  it('were applied from real drizzle-kit output', () => {
    expect(drizzleStatements.some((statement) => statement.includes('CREATE UNIQUE INDEX'))).toBe(true);
  });
});
