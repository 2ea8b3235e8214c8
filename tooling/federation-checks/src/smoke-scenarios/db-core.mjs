// Smoke scenario for @strata/db-core installed alone: ESM and CJS both reach the database.
import { createRequire } from 'node:module';
import * as dbCore from '@strata/db-core';

const url = process.env.STRATA_SMOKE_DATABASE_URL;
const require = createRequire(import.meta.url);
const dbCoreCjs = require('@strata/db-core');

if (typeof dbCore.createDb !== 'function') {
  console.log('skipped: createDb is not exported yet');
  process.exit(0);
}

async function selectOne(createDb, format) {
  const db = createDb({ connectionString: url });
  try {
    const rows = await db.selectNoFrom((expression) => expression.lit(1).as('one')).execute();
    if (rows[0]?.one !== 1) throw new Error(`${format}: select 1 returned ${JSON.stringify(rows)}`);
    console.log(`${format}: createDb + select 1 ok`);
    if (typeof dbCore.withTenant === 'function' && format === 'ESM') {
      const tenant = '3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c';
      const setting = await dbCore.withTenant(db, tenant, async (trx) =>
        trx.selectNoFrom((expression) => expression.fn('current_setting', [expression.val('app.tenant_id')]).as('tenant')).executeTakeFirst(),
      );
      if (setting?.tenant !== tenant) throw new Error(`withTenant set app.tenant_id to ${JSON.stringify(setting)}`);
      console.log('ESM: withTenant sets app.tenant_id inside the transaction');
    }
  } finally {
    await (typeof db.close === 'function' ? db.close() : db.destroy());
  }
}

await selectOne(dbCore.createDb, 'ESM');
await selectOne(dbCoreCjs.createDb, 'CJS');
