import pg from 'pg';

/** Connections probed for a leftover tenant setting, and how many carried one. */
export interface TenantSettingProbe {
  readonly probed: number;
  readonly carrying: number;
  /** Distinct server processes behind the probed connections. */
  readonly backends: number;
}

const probeQuery = `select current_setting($1, true) as value, pg_backend_pid() as pid`;

function carriesTenant(value: string | null): boolean {
  // A transaction-local setting leaves the placeholder behind as '' after the transaction;
  // NULL means it was never set on this connection. Both mean "no tenant".
  return value !== null && value !== '';
}

/**
 * Checks out every connection a pool can hold at once (so every pooled connection the
 * workload used is among them) and reads the tenant setting on each, outside any transaction.
 *
 * @example
 * const probe = await probePoolConnections(db.pool);
 */
export async function probePoolConnections(pool: pg.Pool, settingName = 'app.tenant_id'): Promise<TenantSettingProbe> {
  const size = pool.options.max ?? 10;
  const clients = await Promise.all(Array.from({ length: size }, async () => await pool.connect()));
  try {
    const rows = await Promise.all(
      clients.map(async (client) => (await client.query<{ value: string | null; pid: number }>(probeQuery, [settingName])).rows[0]!),
    );
    return { probed: rows.length, carrying: rows.filter((row) => carriesTenant(row.value)).length, backends: new Set(rows.map((row) => row.pid)).size };
  } finally {
    for (const client of clients) client.release();
  }
}

/**
 * Behind PgBouncer in transaction mode a client does not own a server connection, so the
 * probe opens `serverConnections` clients and keeps each inside a transaction at the same
 * time: PgBouncer must then give each its own server connection, which covers every server
 * connection in the pool.
 *
 * @example
 * const probe = await probePooledServerConnections(bouncer.routeThrough(database.directAppUrl), 8);
 */
export async function probePooledServerConnections(url: string, serverConnections: number, settingName = 'app.tenant_id'): Promise<TenantSettingProbe> {
  const clients = Array.from({ length: serverConnections }, () => new pg.Client({ connectionString: url }));
  for (const client of clients) client.on('error', () => undefined);
  try {
    await Promise.all(clients.map(async (client) => await client.connect()));
    const rows = await Promise.all(
      clients.map(async (client) => {
        await client.query('begin');
        return (await client.query<{ value: string | null; pid: number }>(probeQuery, [settingName])).rows[0]!;
      }),
    );
    await Promise.all(clients.map(async (client) => await client.query('commit')));
    return { probed: rows.length, carrying: rows.filter((row) => carriesTenant(row.value)).length, backends: new Set(rows.map((row) => row.pid)).size };
  } finally {
    await Promise.all(clients.map(async (client) => await client.end().catch(() => undefined)));
  }
}
