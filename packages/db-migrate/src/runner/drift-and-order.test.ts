import { writeFileSync, unlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MigrationDriftError } from '../errors/migration-drift-error.js';
import { MigrationMissingError } from '../errors/migration-missing-error.js';
import { MigrationOrderError } from '../errors/migration-order-error.js';
import { calculateChecksum } from '../sources/checksum-calculator.js';
import { freshDatabase, queryRows, tableNames } from '../test-support/database-helpers.js';
import { writeMigrationDirectory } from '../test-support/migration-directory.js';
import { createMigrator } from './migrator.js';

describe('drift', () => {
  it('reports an applied file edited afterwards, refuses up and down, and accepts or re-stamps only when told', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory({
      '0001_a.sql': 'create table a (id int);\n-- strata:down\ndrop table a;\n',
      '0002_b.sql': 'create table b (id int);\n-- strata:down\ndrop table b;\n',
    });
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: directory });
    try {
      await migrator.up();
      writeFileSync(`${directory}/0001_a.sql`, 'create table a (id bigint);\n-- strata:down\ndrop table a;\n');
      writeFileSync(`${directory}/0003_c.sql`, 'create table c (id int);\n');

      const status = await migrator.getStatus();
      expect(status).toMatchObject({ state: 'drift', pending: ['0003_c'] });
      expect(status.drifted).toEqual([
        { name: '0001_a', appliedChecksum: calculateChecksum('create table a (id int);\n'), currentChecksum: calculateChecksum('create table a (id bigint);\n') },
      ]);

      const refused = await migrator.up();
      expect(refused.success).toBe(false);
      expect(refused.error).toBeInstanceOf(MigrationDriftError);
      expect(refused.error!.message).toMatch(/changed after they were applied: 0001_a/);
      expect(refused.migrations).toEqual([]);
      expect(await tableNames(database.ownerUrl)).toEqual(['a', 'b', 'strata_migrations']);

      // Reverting 0002 only touches 0002, which did not drift.
      expect((await migrator.down({ steps: 1, dryRun: true })).success).toBe(true);
      expect((await migrator.down({ steps: 2, dryRun: true })).error).toBeInstanceOf(MigrationDriftError);

      const accepted = await migrator.up({ drift: 'accept' });
      expect(accepted.migrations.map((migration) => [migration.name, migration.status])).toEqual([['0003_c', 'applied']]);
      expect((await migrator.getStatus()).state).toBe('drift');

      const restamped = await migrator.up({ drift: 'restamp' });
      expect(restamped.migrations.map((migration) => [migration.name, migration.status])).toEqual([['0001_a', 'restamped']]);
      expect((await migrator.getStatus()).state).toBe('up_to_date');
      const [row] = await queryRows<{ checksum: string }>(database.ownerUrl, "select checksum from strata_migrations where name = '0001_a'");
      expect(row!.checksum).toBe(calculateChecksum('create table a (id bigint);\n'));
    } finally {
      await migrator.close();
    }
  });
});

describe('ordering', () => {
  it('never skips a pending migration that sorts before the last applied one: error by default, runnable when allowed', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory({
      '0001_a.sql': 'create table a (id int);',
      '0003_c.sql': 'create table c (id int);',
    });
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: directory });
    try {
      await migrator.up();
      writeFileSync(`${directory}/0002_b.sql`, 'create table b (id int);');
      writeFileSync(`${directory}/0004_d.sql`, 'create table d (id int);');
      expect(await migrator.getStatus()).toMatchObject({ state: 'pending', pending: ['0002_b', '0004_d'], outOfOrder: ['0002_b'] });

      const refused = await migrator.up();
      expect(refused.error).toBeInstanceOf(MigrationOrderError);
      expect(refused.error).toMatchObject({ outOfOrder: ['0002_b'], lastApplied: '0003_c' });
      expect(refused.error!.message).toMatch(/sort before the last applied migration 0003_c: 0002_b\. They were not skipped/);
      // Nothing ran, not even the in-order 0004_d: the run stops before doing anything.
      expect(await tableNames(database.ownerUrl)).toEqual(['a', 'c', 'strata_migrations']);

      const allowed = await migrator.up({ allowOutOfOrder: true });
      expect(allowed.migrations.map((migration) => migration.name)).toEqual(['0002_b', '0004_d']);
      expect((await migrator.getStatus()).state).toBe('up_to_date');
    } finally {
      await migrator.close();
    }
  });

  it('reports applied migrations whose files are gone as ahead, and refuses up unless allowed', async () => {
    const database = await freshDatabase();
    const directory = writeMigrationDirectory({ '0001_a.sql': 'create table a (id int);', '0002_b.sql': 'create table b (id int);' });
    const migrator = createMigrator({ connectionString: database.ownerUrl, source: directory });
    try {
      await migrator.up();
      unlinkSync(`${directory}/0002_b.sql`);
      writeFileSync(`${directory}/0003_c.sql`, 'create table c (id int);\n-- strata:down\ndrop table c;');
      expect(await migrator.getStatus()).toMatchObject({ state: 'ahead', missing: ['0002_b'], pending: ['0003_c'] });
      const refused = await migrator.up();
      expect(refused.error).toBeInstanceOf(MigrationMissingError);
      expect(refused.error).toMatchObject({ missing: ['0002_b'] });
      expect((await migrator.up({ allowMissing: true })).migrations.map((migration) => migration.name)).toEqual(['0003_c']);
      const revert = await migrator.down({ steps: 2 });
      expect(revert.error).toBeInstanceOf(MigrationMissingError);
      expect(revert.error!.message).toMatch(/Cannot revert 0002_b/);
      expect(revert.migrations).toEqual([]);
    } finally {
      await migrator.close();
    }
  });
});
