import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';

/** A text dump of a database, and what produced it. */
export interface DatabaseDump {
  readonly text: string;
  readonly tables: number;
  readonly rows: number;
  /** `COPY` always; plus `pg_dump` when a matching client is installed. */
  readonly methods: readonly string[];
}

/**
 * Dumps every row of every table outside the system schemas as a superuser with
 * `COPY (SELECT …) TO STDOUT`-equivalent text (each row as its `row_to_json` text, bytea as
 * `\x…` hex). When `/usr/lib/postgresql/<major>/bin/pg_dump` matches the server's major
 * version (pg_dump refuses newer servers), its full output (schema and data) is appended.
 *
 * @example
 * const dump = await dumpDatabase(database.adminUrl);
 * expect(dump.text).not.toContain(rawToken);
 */
export async function dumpDatabase(adminUrl: string): Promise<DatabaseDump> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const parts: string[] = [];
  const methods = ['COPY-equivalent row_to_json of every table'];
  let rows = 0;
  let major = '';
  try {
    major = (await client.query<{ major: string }>(`select current_setting('server_version_num')::int / 10000 as major`)).rows[0]!.major.toString();
    const { rows: tables } = await client.query<{ name: string }>(
      `select format('%I.%I', schemaname, tablename) as name from pg_tables
        where schemaname not in ('pg_catalog', 'information_schema') order by 1`,
    );
    for (const table of tables) {
      const { rows: data } = await client.query<{ line: string }>(`select row_to_json(t)::text as line from ${table.name} t`);
      parts.push(`-- ${table.name}`, ...data.map((row) => row.line));
      rows += data.length;
    }
    const pgDump = `/usr/lib/postgresql/${major}/bin/pg_dump`;
    if (existsSync(pgDump)) {
      parts.push(execFileSync(pgDump, ['--dbname', adminUrl, '--no-owner'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
      methods.push(`pg_dump ${major}`);
    }
    return { text: parts.join('\n'), tables: tables.length, rows, methods };
  } finally {
    await client.end();
  }
}
