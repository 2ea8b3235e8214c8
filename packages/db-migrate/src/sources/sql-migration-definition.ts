import { MigrationSourceError } from '../errors/migration-source-error.js';
import { calculateChecksum } from './checksum-calculator.js';
import type { MigrationDefinition, PreparedMigration, SqlMigrationStep } from './migration-definition.js';
import { assertFitsTransactionMode } from './sql-transaction-guard.js';
import { hasStatements, parseSqlMigration, type SqlSection } from './sql-migration-parser.js';

/** The text of a SQL migration and, optionally, of its sibling `.down.sql` file. */
export interface SqlMigrationInput {
  readonly name: string;
  readonly file: string | undefined;
  readonly text: string;
  readonly downFile?: string | undefined;
  readonly downText?: string | undefined;
}

function sqlStep(section: SqlSection, fileText: string, file: string | undefined, transaction: boolean): SqlMigrationStep {
  return { kind: 'sql', sql: section.sql, file, fileText, offset: section.offset, transaction };
}

/**
 * Builds the definition of a SQL migration. The checksum covers the up section only, so
 * fixing a down section after the fact is not reported as drift. A down section (or
 * `.down.sql` file) without any statement counts as no down step.
 */
export function createSqlMigrationDefinition(input: SqlMigrationInput): MigrationDefinition {
  const text = input.text.replace(/^\uFEFF/, '');
  const parsed = parseSqlMigration(text, input.file);
  if (parsed.down && input.downText !== undefined) {
    throw new MigrationSourceError(
      `Migration ${input.name} has both a "-- strata:down" section and a sibling ${input.downFile}: keep one.`,
      { file: input.file, migration: input.name },
    );
  }
  const checksum = calculateChecksum(parsed.up.sql);
  let prepared: PreparedMigration | undefined;
  return {
    name: input.name,
    checksum,
    file: input.file,
    async prepare() {
      if (prepared) return prepared;
      assertFitsTransactionMode(parsed.up.sql, parsed.up.offset, text, parsed.transaction, input.file);
      let down: SqlMigrationStep | undefined;
      if (parsed.down && hasStatements(parsed.down.sql)) {
        assertFitsTransactionMode(parsed.down.sql, parsed.down.offset, text, parsed.transaction, input.file);
        down = sqlStep(parsed.down, text, input.file, parsed.transaction);
      } else if (input.downText !== undefined) {
        const downText = input.downText.replace(/^\uFEFF/, '');
        const downParsed = parseSqlMigration(downText, input.downFile);
        if (hasStatements(downParsed.up.sql)) {
          assertFitsTransactionMode(downParsed.up.sql, 0, downText, downParsed.transaction, input.downFile);
          down = sqlStep(downParsed.up, downText, input.downFile, downParsed.transaction);
        }
      }
      prepared = { name: input.name, checksum, file: input.file, up: sqlStep(parsed.up, text, input.file, parsed.transaction), down };
      return prepared;
    },
  };
}
