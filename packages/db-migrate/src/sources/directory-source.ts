import { existsSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { MigrationSourceError } from '../errors/migration-source-error.js';
import { fromDrizzleFolder } from './drizzle-folder-source.js';
import { FileStampCache } from './file-stamp-cache.js';
import type { MigrationDefinition, MigrationSource } from './migration-definition.js';
import { assertConsistentOrdering, parseMigrationFileName, type MigrationFileName } from './migration-file-name.js';
import { createModuleMigrationDefinition } from './module-migration-definition.js';
import { createSqlMigrationDefinition } from './sql-migration-definition.js';

/** The files that make up one migration in a directory. */
interface MigrationFiles {
  main: MigrationFileName | undefined;
  down: MigrationFileName | undefined;
}

/** Throws `MigrationSourceError` unless `directory` exists and is a directory. */
export function assertDirectory(directory: string): void {
  let info: Stats;
  try {
    info = statSync(directory);
  } catch (caught) {
    const error = caught as NodeJS.ErrnoException;
    throw new MigrationSourceError(
      error.code === 'ENOENT' ? `Migration directory ${directory} does not exist.` : `Cannot read migration directory ${directory}: ${error.message}`,
      { file: directory, cause: error },
    );
  }
  if (!info.isDirectory()) throw new MigrationSourceError(`Migration path ${directory} is not a directory.`, { file: directory });
}

function groupByName(entries: readonly MigrationFileName[], directory: string): Map<string, MigrationFiles> {
  const groups = new Map<string, MigrationFiles>();
  for (const entry of entries) {
    const group = groups.get(entry.name) ?? { main: undefined, down: undefined };
    const slot = entry.kind === 'sql-down' ? 'down' : 'main';
    const existing = group[slot];
    if (existing) {
      throw new MigrationSourceError(
        `Two files define migration ${entry.name} in ${directory}: ${existing.fileName} and ${entry.fileName}. Keep one.`,
        { file: join(directory, entry.fileName), migration: entry.name },
      );
    }
    group[slot] = entry;
    groups.set(entry.name, group);
  }
  return groups;
}

/**
 * Migration files are small and read synchronously: for hundreds of files this is several
 * times faster than as many asynchronous reads through libuv's thread pool (500 files:
 * ~3 ms instead of ~25-100 ms), which matters for a status check run by readiness probes.
 */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new MigrationSourceError(`Cannot read migration file ${file}: ${(error as Error).message}`, { file, cause: error });
  }
}

function definitionFor(name: string, files: MigrationFiles, directory: string, cache: FileStampCache<MigrationDefinition>): MigrationDefinition {
  const main = files.main;
  if (!main) {
    throw new MigrationSourceError(
      `${files.down!.fileName} in ${directory} has no matching up migration ${name}.sql.`,
      { file: join(directory, files.down!.fileName), migration: name },
    );
  }
  const file = join(directory, main.fileName);
  if (main.kind === 'module') {
    if (files.down) {
      throw new MigrationSourceError(
        `${files.down.fileName} pairs with a SQL migration, but ${main.fileName} is a module: export down(db) from the module instead.`,
        { file: join(directory, files.down.fileName), migration: name },
      );
    }
    return cache.get(file, [file], () => createModuleMigrationDefinition(name, file, readText(file)));
  }
  const downFile = files.down ? join(directory, files.down.fileName) : undefined;
  return cache.get(`${file}|${downFile ?? ''}`, downFile ? [file, downFile] : [file], () =>
    createSqlMigrationDefinition({ name, file, text: readText(file), downFile, downText: downFile ? readText(downFile) : undefined }),
  );
}

/**
 * Migrations from a directory, run in file-name order: `.sql` files (with an optional
 * `-- strata:down` section or sibling `.down.sql`) and `.ts`/`.mts`/`.cts`/`.js`/`.mjs`/`.cjs`
 * modules exporting `up(db)` and optionally `down(db)`. A directory holding drizzle-kit
 * output (`meta/_journal.json`) is read as a drizzle folder instead. Files with other
 * extensions and sub-directories are ignored; malformed migration names are errors.
 * Files are read and hashed once per source and read again only when they change.
 *
 * @example
 * const migrator = createMigrator({ connectionString: process.env.DATABASE_URL, source: fromDirectory('./migrations') });
 */
export function fromDirectory(path: string): MigrationSource {
  const directory = resolve(path);
  const cache = new FileStampCache<MigrationDefinition>();
  let drizzleFolder: MigrationSource | undefined;
  return {
    description: directory,
    async list() {
      assertDirectory(directory);
      if (existsSync(join(directory, 'meta', '_journal.json'))) {
        drizzleFolder ??= fromDrizzleFolder(directory);
        return await drizzleFolder.list();
      }
      const entries = readdirSync(directory, { withFileTypes: true });
      const parsed: MigrationFileName[] = [];
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const name = parseMigrationFileName(entry.name, directory);
        if (name) parsed.push(name);
      }
      const groups = [...groupByName(parsed, directory)].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
      assertConsistentOrdering(
        groups.map(([, files]) => (files.main ?? files.down)!),
        directory,
      );
      return groups.map(([name, files]) => definitionFor(name, files, directory, cache));
    },
  };
}
