import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createDb } from '@strata/db-core';
import { createMigrator, sync } from '@strata/db-migrate';
import { gracefulShutdown } from '@strata/express-db';
import { createDemoApp } from './app/create-demo-app.js';
import { readDemoConfig } from './config/demo-config.js';
import { provisionDemoRoles } from './database/database-provisioning.js';
import { demoMigrations } from './database/demo-migrations.js';
import type { DemoDatabase } from './database/demo-schema.js';
import { verifyTenantIsolation } from './database/isolation-guard.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './database/embedded-database.js';
import { logMailer } from './mail/mail-outbox.js';

function fail(message: string): never {
  console.error(`\n[demo] ${message}\n`);
  process.exit(1);
}

const config = readDemoConfig();
mkdirSync(config.dataDirectory, { recursive: true });

let embedded: EmbeddedDatabase | undefined;
let adminUrl = config.databaseUrl;
if (!adminUrl) {
  console.log('[demo] starting embedded PostgreSQL (first start initialises it; data kept in apps/demo/.data)');
  embedded = await startEmbeddedDatabase(config.dataDirectory);
  adminUrl = embedded.adminUrl;
}
const stopEmbedded = async () => {
  try {
    await embedded?.stop();
  } catch {
    // Ctrl+C reaches PostgreSQL too; it may already be down.
  }
};

try {
  const connections = await provisionDemoRoles(adminUrl, config.databaseName, join(config.dataDirectory, 'roles.json'));
  const migrations = demoMigrations(connections.appRole);
  const synced = await sync({ connectionString: connections.ownerUrl, source: migrations });
  if (!synced.success) fail(`migrations failed: ${synced.error?.message ?? 'unknown error'}`);
  console.log(`[demo] database ${config.databaseName}: ${synced.outcome.replaceAll('_', ' ')}`);

  // From here on the app connects as the unprivileged role, so row-level security applies.
  const db = createDb<DemoDatabase>({ connectionString: connections.appUrl, applicationName: 'strata-demo' });
  const isolation = await verifyTenantIsolation(db).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  console.log(`[demo] tenant isolation checked as role ${isolation.role}: ${isolation.tenantTables.join(', ')} behind RLS`);

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const { app, database } = createDemoApp({
    db,
    mailer: logMailer(),
    publicUrl: config.publicUrl ?? url,
    migrationStatus: createMigrator({ db, source: migrations }),
    secureCookies: config.secureCookies,
  });
  server.on('request', app);
  gracefulShutdown(server, {
    database,
    exit: (code) => {
      void stopEmbedded().finally(() => process.exit(code));
    },
  });
  console.log(`\n  Strata demo running at ${url}\n  (mail is written to this log; Ctrl+C stops it)\n`);
} catch (error) {
  await stopEmbedded();
  fail(error instanceof Error ? error.message : String(error));
}
