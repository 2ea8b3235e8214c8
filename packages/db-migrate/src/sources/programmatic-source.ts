import { MigrationSourceError } from '../errors/migration-source-error.js';
import type { MigrationDefinition, MigrationFunction, MigrationSource, PreparedMigration } from './migration-definition.js';
import { createSqlMigrationDefinition } from './sql-migration-definition.js';

/** A migration given in code, e.g. by a package that ships its own schema. */
export interface ProgrammaticMigration {
  /** Unique name; migrations run in the order of the array. */
  readonly name: string;
  /** A function receiving a Kysely instance, or SQL text (directives such as `-- strata:no-transaction` apply). */
  readonly up: MigrationFunction | string;
  readonly down?: MigrationFunction | string | undefined;
  /** For function steps: `false` opts out of the per-migration transaction. For SQL text use the directive. */
  readonly transaction?: boolean | undefined;
  /**
   * For function steps: the content checksum to detect drift (e.g. a version string you bump
   * when you edit the migration). Without it, a function migration is never reported as drifted,
   * because a function's source text changes with every bundler or minifier.
   */
  readonly checksum?: string | undefined;
}

const namePattern = /^[^\s\u0000-\u001f][^\u0000-\u001f]{0,254}$/;

function functionDefinition(migration: ProgrammaticMigration): MigrationDefinition {
  if (typeof migration.down === 'string') {
    throw new MigrationSourceError(`Migration ${migration.name}: up is a function, so down must be a function too.`, { migration: migration.name });
  }
  const transaction = migration.transaction !== false;
  const prepared: PreparedMigration = {
    name: migration.name,
    checksum: migration.checksum ?? null,
    file: undefined,
    up: { kind: 'function', run: migration.up as MigrationFunction, transaction },
    down: migration.down ? { kind: 'function', run: migration.down, transaction } : undefined,
  };
  return { name: migration.name, checksum: prepared.checksum, file: undefined, prepare: async () => prepared };
}

function validate(migration: ProgrammaticMigration, position: number, seen: Set<string>): void {
  if (!migration || typeof migration !== 'object') throw new MigrationSourceError(`Migration at position ${position} is not an object.`);
  if (typeof migration.name !== 'string' || !namePattern.test(migration.name)) {
    throw new MigrationSourceError(`Migration at position ${position} needs a non-empty name (at most 255 characters, no control characters).`);
  }
  if (seen.has(migration.name)) throw new MigrationSourceError(`Two migrations are named ${migration.name}.`, { migration: migration.name });
  seen.add(migration.name);
  if (typeof migration.up !== 'function' && typeof migration.up !== 'string') {
    throw new MigrationSourceError(`Migration ${migration.name} has no up step (a function or SQL text).`, { migration: migration.name });
  }
  if (migration.down !== undefined && typeof migration.down !== 'function' && typeof migration.down !== 'string') {
    throw new MigrationSourceError(`Migration ${migration.name}: down must be a function or SQL text.`, { migration: migration.name });
  }
  if (typeof migration.up === 'string' && (migration.transaction !== undefined || migration.checksum !== undefined)) {
    throw new MigrationSourceError(
      `Migration ${migration.name}: "transaction" and "checksum" apply to function steps; SQL text is checksummed itself and opts out with "-- strata:no-transaction".`,
      { migration: migration.name },
    );
  }
}

/**
 * Migrations given as an array, run in array order: for packages and tests that supply
 * migrations without files. Steps are functions receiving a Kysely instance, or SQL text.
 *
 * @example
 * const source = fromMigrations([
 *   { name: '0001_notes', up: 'create table notes (id bigint primary key)', down: 'drop table notes' },
 *   { name: '0002_seed', up: async (db) => { await db.insertInto('notes').values({ id: 1 }).execute(); }, checksum: 'v1' },
 * ]);
 */
export function fromMigrations(migrations: readonly ProgrammaticMigration[]): MigrationSource {
  return {
    description: `${Array.isArray(migrations) ? migrations.length : 0} programmatic migration(s)`,
    async list() {
      if (!Array.isArray(migrations)) throw new MigrationSourceError('fromMigrations() needs an array of { name, up, down } objects.');
      const seen = new Set<string>();
      return migrations.map((migration, position) => {
        validate(migration, position, seen);
        if (typeof migration.up === 'function') return functionDefinition(migration);
        if (typeof migration.down === 'function') {
          throw new MigrationSourceError(`Migration ${migration.name}: up is SQL text, so down must be SQL text too.`, { migration: migration.name });
        }
        return createSqlMigrationDefinition({
          name: migration.name,
          file: undefined,
          text: migration.up,
          downFile: migration.down === undefined ? undefined : `${migration.name} (down)`,
          downText: migration.down,
        });
      });
    },
  };
}
