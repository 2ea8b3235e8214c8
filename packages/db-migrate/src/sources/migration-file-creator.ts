import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MigrationSourceError } from '../errors/migration-source-error.js';
import { parseMigrationFileName } from './migration-file-name.js';

/** Options of `createMigrationFile`. */
export interface CreateMigrationFileOptions {
  /** The migrations directory (created when missing). */
  readonly directory: string;
  /** A description, e.g. `add orders`; it becomes `add_orders` in the file name. */
  readonly name: string;
  /** `sql` (default) or `ts`. */
  readonly kind?: 'sql' | 'ts' | undefined;
  /** Clock for the timestamp prefix (tests). */
  readonly now?: Date | undefined;
}

const sqlTemplate = `-- Up migration. Runs in a transaction together with its bookkeeping row.
-- Add the line "-- strata:no-transaction" for statements such as CREATE INDEX CONCURRENTLY.


-- strata:down
-- Reverts the up migration. Leave it without statements if the migration cannot be reverted.

`;

const moduleTemplate = `import type { Kysely } from 'kysely';

// Runs in a transaction together with its bookkeeping row.
// export const transaction = false; // for statements such as CREATE INDEX CONCURRENTLY

export async function up(db: Kysely<any>): Promise<void> {
  // await db.schema.createTable('example').addColumn('id', 'bigint', (column) => column.primaryKey()).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // await db.schema.dropTable('example').execute();
}
`;

const maximumDescriptionLength = 200;

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * A counter prefix (`0001`, `0002`…) when the directory already uses one, otherwise a UTC
 * timestamp (`20250101120000`), which does not collide across branches.
 */
async function nextPrefix(directory: string, now: Date): Promise<string> {
  const entries = existsSync(directory) ? await readdir(directory) : [];
  const prefixes = entries.flatMap((entry) => {
    const parsed = parseMigrationFileName(entry, directory);
    return parsed ? [parsed.prefix] : [];
  });
  const counters = prefixes.filter((prefix) => prefix.length < 14);
  if (counters.length === 0 || counters.length !== prefixes.length) return timestamp(now);
  const width = Math.max(...counters.map((prefix) => prefix.length));
  const next = counters.reduce((highest, prefix) => (BigInt(prefix) > highest ? BigInt(prefix) : highest), 0n) + 1n;
  return next.toString().padStart(width, '0');
}

/**
 * Writes a new, empty migration file from a template and returns its path.
 *
 * @example
 * const file = await createMigrationFile({ directory: './migrations', name: 'add orders' });
 * // ./migrations/20250101120000_add_orders.sql
 */
export async function createMigrationFile(options: CreateMigrationFileOptions): Promise<string> {
  const description = String(options.name ?? '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (description === '') throw new MigrationSourceError(`Migration name ${JSON.stringify(options.name)} has no letters or digits.`);
  // File systems cap a file name at 255 bytes; keep well below so the prefix and extension fit.
  if (description.length > maximumDescriptionLength) {
    throw new MigrationSourceError(
      `Migration name is too long: ${description.length} characters after normalising, at most ${maximumDescriptionLength}.`,
    );
  }
  const directory = resolve(options.directory);
  if (existsSync(join(directory, 'meta', '_journal.json'))) {
    throw new MigrationSourceError(`${directory} holds drizzle-kit output: create migrations there with drizzle-kit generate.`, { file: directory });
  }
  const kind = options.kind ?? 'sql';
  const file = join(directory, `${await nextPrefix(directory, options.now ?? new Date())}_${description}.${kind}`);
  await mkdir(directory, { recursive: true });
  await writeFile(file, kind === 'sql' ? sqlTemplate : moduleTemplate, { flag: 'wx' });
  return file;
}
