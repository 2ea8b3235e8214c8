import { MigrationSourceError } from '../errors/migration-source-error.js';

/** One section of a SQL migration file. */
export interface SqlSection {
  readonly sql: string;
  /** Character offset of the section inside the file. */
  readonly offset: number;
}

/** A SQL migration file split into its sections, with its directives applied. */
export interface ParsedSqlMigration {
  readonly up: SqlSection;
  /** The `-- strata:down` section, when the file has one. */
  readonly down: SqlSection | undefined;
  /** False when the file contains `-- strata:no-transaction`. */
  readonly transaction: boolean;
}

/**
 * Directives are whole-line SQL comments, so the file stays valid SQL for any other tool:
 *
 * - `-- strata:no-transaction` runs the file's statements one by one, outside a transaction
 *   (for CREATE INDEX CONCURRENTLY and friends);
 * - `-- strata:down` starts the down section: everything above it is the up migration,
 *   everything below reverts it.
 */
const directivePattern = /^[ \t]*--[ \t]*strata:([A-Za-z-]*)[ \t]*\r?$/gm;
const knownDirectives = new Set(['no-transaction', 'down']);

/**
 * Parses a SQL migration file: finds the directives, splits the up and down sections.
 * Unknown `strata:` directives are errors (a typo must not silently mean "transactional").
 */
export function parseSqlMigration(text: string, file: string | undefined): ParsedSqlMigration {
  let transaction = true;
  let downDirective: { index: number; end: number } | undefined;
  for (const match of text.matchAll(directivePattern)) {
    const directive = match[1]!.toLowerCase();
    if (!knownDirectives.has(directive)) {
      throw new MigrationSourceError(
        `Unknown directive "-- strata:${match[1]}" in ${file ?? 'a SQL migration'}; known directives: -- strata:no-transaction, -- strata:down.`,
        { file },
      );
    }
    if (directive === 'no-transaction') transaction = false;
    if (directive === 'down') {
      if (downDirective) throw new MigrationSourceError(`More than one "-- strata:down" line in ${file ?? 'a SQL migration'}.`, { file });
      downDirective = { index: match.index, end: match.index + match[0].length };
    }
  }
  if (!downDirective) return { up: { sql: text, offset: 0 }, down: undefined, transaction };
  return {
    up: { sql: text.slice(0, downDirective.index), offset: 0 },
    down: { sql: text.slice(downDirective.end), offset: downDirective.end },
    transaction,
  };
}

/** Whether a section has any SQL besides whitespace and comments. */
export function hasStatements(sql: string): boolean {
  return sql
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .some((line) => line.replace(/--.*$/, '').trim().length > 0);
}
