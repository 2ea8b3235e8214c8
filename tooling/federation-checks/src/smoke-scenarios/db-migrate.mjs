// Smoke scenario for @strata/db-migrate installed alone (with the db-core it declares):
// apply SQL migrations given in code, read the status a readiness probe would, and do it
// again from CJS, which must see everything applied.
import { createRequire } from 'node:module';
import * as dbMigrate from '@strata/db-migrate';

const url = process.env.STRATA_SMOKE_DATABASE_URL;
const require = createRequire(import.meta.url);
const dbMigrateCjs = require('@strata/db-migrate');

if (typeof dbMigrate.createMigrator !== 'function') {
  console.log('skipped: createMigrator is not exported yet');
  process.exit(0);
}

const migrations = [
  { name: '0001_smoke_items', up: 'create table smoke_items (id int primary key, label text not null);', down: 'drop table smoke_items;' },
  { name: '0002_smoke_items_seed', up: "insert into smoke_items values (1, 'one');", down: 'delete from smoke_items;' },
];

const migrator = dbMigrate.createMigrator({ connectionString: url, source: migrations });
try {
  const result = await migrator.up();
  if (!result.success) throw result.error ?? new Error('up failed');
  const status = await migrator.getStatus();
  if (status.pending.length !== 0 || status.applied.length !== 2) throw new Error(`unexpected status ${JSON.stringify(status)}`);
  console.log(`ESM: applied ${result.migrations.length} migrations; status ${status.state}`);
} finally {
  await migrator.close();
}

const again = dbMigrateCjs.createMigrator({ connectionString: url, source: migrations });
try {
  const result = await again.up();
  if (!result.success || result.migrations.length !== 0) throw new Error(`second run applied ${result.migrations.length}`);
  console.log(`CJS: nothing pending; status ${(await again.getStatus()).state}`);
} finally {
  await again.close();
}
