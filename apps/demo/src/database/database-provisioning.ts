import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';

/** Connection strings of the demo's two roles. */
export interface DemoConnections {
  /** Owns the database and its tables; runs migrations. */
  readonly ownerUrl: string;
  /** What the app connects as: NOSUPERUSER NOBYPASSRLS, owns nothing, so RLS applies. */
  readonly appUrl: string;
  readonly appRole: string;
}

interface StoredPasswords {
  readonly owner: string;
  readonly app: string;
}

const ownerRole = 'strata_demo_owner';
const appRole = 'strata_demo_app';

function withCredentials(adminUrl: string, database: string, user: string, password: string): string {
  const url = new URL(adminUrl);
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

function loadPasswords(file: string): StoredPasswords {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredPasswords;
  const passwords = { owner: randomBytes(16).toString('hex'), app: randomBytes(16).toString('hex') };
  writeFileSync(file, JSON.stringify(passwords), { mode: 0o600 });
  return passwords;
}

/**
 * Creates (or updates) the demo's owner and app roles through an administrator connection.
 * The owner may create databases, so db-migrate's `sync()` can create the demo database as
 * the owner; the app role gets nothing but LOGIN (its rights come from the migrations).
 * Passwords are random, stored in `passwordFile` (mode 0600) and re-applied on each start.
 */
export async function provisionDemoRoles(adminUrl: string, database: string, passwordFile: string): Promise<DemoConnections> {
  const passwords = loadPasswords(passwordFile);
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for (const [role, password, attributes] of [
      [ownerRole, passwords.owner, 'login createdb nosuperuser nobypassrls'],
      [appRole, passwords.app, 'login nosuperuser nocreatedb nocreaterole nobypassrls noinherit'],
    ] as const) {
      const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
      const verb = exists.rowCount ? 'alter' : 'create';
      await client.query(`${verb} role ${pg.escapeIdentifier(role)} ${attributes} password ${pg.escapeLiteral(password)}`);
    }
  } finally {
    await client.end();
  }
  return {
    ownerUrl: withCredentials(adminUrl, database, ownerRole, passwords.owner),
    appUrl: withCredentials(adminUrl, database, appRole, passwords.app),
    appRole,
  };
}
