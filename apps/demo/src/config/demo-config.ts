import { fileURLToPath } from 'node:url';

/** The demo's settings, from the environment. */
export interface DemoConfig {
  /** An administrator connection (creates roles and the database); unset: embedded PostgreSQL. */
  readonly databaseUrl: string | undefined;
  /** Name of the demo database. */
  readonly databaseName: string;
  /** Where embedded PostgreSQL keeps its data, and the generated role passwords. */
  readonly dataDirectory: string;
  readonly host: string;
  readonly port: number;
  /** Base URL for links in mail. Default http://host:port. */
  readonly publicUrl: string | undefined;
  readonly secureCookies: boolean;
}

function portFrom(value: string | undefined, fallback: number): number {
  const port = Number(value ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got ${value}`);
  return port;
}

export function readDemoConfig(environment: NodeJS.ProcessEnv = process.env): DemoConfig {
  const databaseName = environment.DEMO_DATABASE ?? 'strata_demo';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseName)) throw new Error('DEMO_DATABASE must be a lowercase identifier');
  return {
    databaseUrl: environment.DATABASE_URL || undefined,
    databaseName,
    dataDirectory: environment.DEMO_DATA_DIR ?? fileURLToPath(new URL('../../.data/', import.meta.url)),
    host: environment.HOST ?? '127.0.0.1',
    port: portFrom(environment.PORT, 3000),
    publicUrl: environment.DEMO_PUBLIC_URL,
    secureCookies: environment.DEMO_SECURE_COOKIES === '1' || environment.NODE_ENV === 'production',
  };
}
