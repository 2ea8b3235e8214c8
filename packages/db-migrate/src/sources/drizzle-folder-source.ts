import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MigrationSourceError } from '../errors/migration-source-error.js';
import { FileStampCache } from './file-stamp-cache.js';
import type { MigrationDefinition, MigrationSource } from './migration-definition.js';
import { createSqlMigrationDefinition } from './sql-migration-definition.js';

/** The parts of drizzle-kit's `meta/_journal.json` the runner reads. */
interface DrizzleJournalEntry {
  readonly idx: number;
  readonly tag: string;
}

const tagPattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function parseJournal(text: string, file: string): DrizzleJournalEntry[] {
  let journal: unknown;
  try {
    journal = JSON.parse(text);
  } catch (error) {
    throw new MigrationSourceError(`drizzle-kit journal ${file} is not valid JSON: ${(error as Error).message}`, { file, cause: error });
  }
  const entries = (journal as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) throw new MigrationSourceError(`drizzle-kit journal ${file} has no "entries" array.`, { file });
  const seen = new Set<string>();
  return entries.map((entry: unknown, position) => {
    const { idx, tag } = (entry ?? {}) as { idx?: unknown; tag?: unknown };
    if (typeof tag !== 'string' || !tagPattern.test(tag) || typeof idx !== 'number') {
      throw new MigrationSourceError(`drizzle-kit journal ${file}: entry ${position} needs a numeric "idx" and a file-name-safe "tag".`, { file });
    }
    if (seen.has(tag)) throw new MigrationSourceError(`drizzle-kit journal ${file} lists "${tag}" twice.`, { file, migration: tag });
    seen.add(tag);
    return { idx, tag };
  });
}

/**
 * Migrations from a drizzle-kit output folder (`drizzle-kit generate`): the order comes from
 * `meta/_journal.json`, each migration is `<tag>.sql` and runs as-is (its
 * `--> statement-breakpoint` markers are SQL comments). Drizzle users keep generating with
 * drizzle-kit and apply with Strata: a lock, one transaction per migration, checksums.
 * drizzle-kit writes no down migrations, so these cannot be rolled back.
 *
 * @example
 * const migrator = createMigrator({ connectionString: process.env.DATABASE_URL, source: fromDrizzleFolder('./drizzle') });
 */
export function fromDrizzleFolder(path: string): MigrationSource {
  const folder = resolve(path);
  const journalFile = join(folder, 'meta', '_journal.json');
  const cache = new FileStampCache<MigrationDefinition>();
  return {
    description: `${folder} (drizzle-kit)`,
    async list() {
      // Read synchronously, like the directory source (see readText there): much faster for many small files.
      let journalText: string;
      try {
        journalText = readFileSync(journalFile, 'utf8');
      } catch (caught) {
        const error = caught as NodeJS.ErrnoException;
        throw new MigrationSourceError(
          error.code === 'ENOENT' ? `${folder} is not a drizzle-kit folder: ${journalFile} does not exist.` : `Cannot read ${journalFile}: ${error.message}`,
          { file: journalFile, cause: error },
        );
      }
      return parseJournal(journalText, journalFile).map(({ tag }) => {
        const file = join(folder, `${tag}.sql`);
        return cache.get(file, [file], () => {
          let text: string;
          try {
            text = readFileSync(file, 'utf8');
          } catch (error) {
            throw new MigrationSourceError(`drizzle-kit journal lists ${tag}, but ${file} cannot be read: ${(error as Error).message}`, {
              file,
              migration: tag,
              cause: error,
            });
          }
          return createSqlMigrationDefinition({ name: tag, file, text });
        });
      });
    },
  };
}
