import pg from 'pg';

/**
 * A short description of the server behind a URL for the report, e.g.
 * `PostgreSQL 18.1 (embedded)`.
 *
 * @example
 * const server = await describeServer(database.adminUrl, database.serverKind);
 */
export async function describeServer(url: string, kind: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>(`select current_setting('server_version') as version`);
    return `PostgreSQL ${rows[0]!.version.split(' ')[0]} (${kind})`;
  } finally {
    await client.end();
  }
}
