import { findPgBouncer, startPgBouncer, useTestDatabase } from '@strata/testkit';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { probePooledServerConnections, probePoolConnections } from './tenant-setting-probe.js';

const database = useTestDatabase();

/** Negative controls: the probes must see a leak when there is one, or their 0 means nothing. */
describe('tenant setting probes', () => {
  it('finds a session-level tenant setting left on a pooled connection', async () => {
    const pool = new pg.Pool({ connectionString: database.directAppUrl, max: 4 });
    try {
      const client = await pool.connect();
      await client.query(`select set_config('app.tenant_id', '00000000-0000-4000-8000-000000000001', false)`);
      client.release();
      const probe = await probePoolConnections(pool);
      expect(probe).toMatchObject({ probed: 4, carrying: 1 });
    } finally {
      await pool.end();
    }
  });

  it.skipIf(!findPgBouncer())('finds a session-level tenant setting left on a server connection behind PgBouncer', async () => {
    const bouncer = await startPgBouncer({ serverUrl: database.maintenanceUrl, defaultPoolSize: 3 });
    try {
      const url = bouncer.routeThrough(database.directAppUrl);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`set app.tenant_id = '00000000-0000-4000-8000-000000000002'`);
      await client.end();
      const probe = await probePooledServerConnections(url, 3);
      expect(probe).toMatchObject({ probed: 3, backends: 3, carrying: 1 });
    } finally {
      await bouncer.stop();
    }
  });
});
