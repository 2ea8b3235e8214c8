import { MigrationSourceError } from '../errors/migration-source-error.js';

/** What a directory entry is, judging by its name. */
export type MigrationFileKind = 'sql' | 'sql-down' | 'module';

/** A directory entry recognised as part of a migration. */
export interface MigrationFileName {
  /** The migration's name: the file name without extension (and without `.down`). */
  readonly name: string;
  /** The number prefix as written (e.g. `0003` or `20250101120000`). */
  readonly prefix: string;
  readonly kind: MigrationFileKind;
  readonly fileName: string;
}

/** Extensions of module migrations, loaded with `import()` (TypeScript through jiti). */
export const moduleExtensions = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

/**
 * Accepted names: a number prefix (a zero-padded counter or a timestamp), `_` or `-`, then a
 * description of letters, digits, `_` and `-`. E.g. `0001_create_users.sql`,
 * `20250101120000-add-index.ts`, `0001_create_users.down.sql`.
 */
const migrationNamePattern = /^(\d+)[_-][A-Za-z0-9][A-Za-z0-9_-]*$/;

function extensionOf(fileName: string): { stem: string; kind: MigrationFileKind } | undefined {
  if (fileName.endsWith('.d.ts') || fileName.endsWith('.d.mts') || fileName.endsWith('.d.cts') || fileName.endsWith('.map')) return undefined;
  if (fileName.endsWith('.down.sql')) return { stem: fileName.slice(0, -'.down.sql'.length), kind: 'sql-down' };
  if (fileName.endsWith('.sql')) return { stem: fileName.slice(0, -'.sql'.length), kind: 'sql' };
  const extension = moduleExtensions.find((candidate) => fileName.endsWith(candidate));
  return extension ? { stem: fileName.slice(0, -extension.length), kind: 'module' } : undefined;
}

/**
 * Classifies one directory entry. Files with other extensions (README.md, .json) and dot
 * files return `undefined` and are ignored; a file with a migration extension but a name
 * that does not follow the convention is an error rather than silently ignored.
 */
export function parseMigrationFileName(fileName: string, directory: string): MigrationFileName | undefined {
  if (fileName.startsWith('.')) return undefined;
  const recognised = extensionOf(fileName);
  if (!recognised) return undefined;
  const match = migrationNamePattern.exec(recognised.stem);
  if (!match) {
    throw new MigrationSourceError(
      `Malformed migration file name "${fileName}" in ${directory}: expected a number prefix, "_" or "-", and a description ` +
        '(letters, digits, "_", "-"), e.g. 0001_create_users.sql or 20250101120000_add_index.ts.',
      { file: `${directory}/${fileName}` },
    );
  }
  return { name: recognised.stem, prefix: match[1]!, kind: recognised.kind, fileName };
}

/**
 * Migrations run in name order. When number prefixes have different widths and are not
 * zero-padded, text order and numeric order disagree (`10_x` sorts before `9_y`); that is
 * refused instead of silently running them in a surprising order.
 */
export function assertConsistentOrdering(names: readonly MigrationFileName[], directory: string): void {
  for (let index = 1; index < names.length; index += 1) {
    const previous = names[index - 1]!;
    const current = names[index]!;
    if (BigInt(previous.prefix) > BigInt(current.prefix)) {
      throw new MigrationSourceError(
        `Migration file names in ${directory} sort differently as text and as numbers (${previous.name} sorts before ${current.name}): ` +
          'zero-pad the number prefixes to one width so the order is unambiguous.',
        { file: `${directory}/${current.fileName}` },
      );
    }
  }
}
