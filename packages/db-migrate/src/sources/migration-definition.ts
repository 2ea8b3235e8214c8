import type { Kysely } from 'kysely';

/**
 * A migration step written as a function. `db` is a Kysely instance bound to the runner's
 * one dedicated connection, inside the migration's transaction unless it opted out.
 */
export type MigrationFunction = (db: Kysely<any>) => Promise<void> | void;

/** A SQL step: text sent to PostgreSQL as it is, plus where it sits in its file. */
export interface SqlMigrationStep {
  readonly kind: 'sql';
  /** False when the step opted out of the per-migration transaction. */
  readonly transaction: boolean;
  readonly sql: string;
  /** The file the SQL came from (for error messages), if any. */
  readonly file: string | undefined;
  /** The whole file's text, to turn PostgreSQL's error position into a line and column. */
  readonly fileText: string;
  /** Character offset of `sql` inside `fileText`. */
  readonly offset: number;
}

/** A step written as a function. */
export interface FunctionMigrationStep {
  readonly kind: 'function';
  /** False when the module exports `transaction = false`. */
  readonly transaction: boolean;
  readonly run: MigrationFunction;
}

export type MigrationStep = SqlMigrationStep | FunctionMigrationStep;

/** A migration ready to run: its steps are loaded (modules imported, SQL parsed). */
export interface PreparedMigration {
  readonly name: string;
  readonly checksum: string | null;
  readonly file: string | undefined;
  readonly up: MigrationStep;
  readonly down: MigrationStep | undefined;
}

/**
 * A migration as a source lists it: name and checksum are known without running or
 * importing anything (what `getStatus()` needs); `prepare()` loads the steps.
 */
export interface MigrationDefinition {
  readonly name: string;
  /** sha256 of the migration's content; `null` when it cannot be computed (a function without an explicit checksum). */
  readonly checksum: string | null;
  readonly file: string | undefined;
  prepare(): Promise<PreparedMigration>;
}

/**
 * Where migrations come from: a directory, a drizzle-kit folder or an array. Sources list
 * migrations in the order they must run.
 *
 * @example
 * const source: MigrationSource = fromDirectory('./migrations');
 * const migrations = await source.list();
 */
export interface MigrationSource {
  /** Human-readable description, e.g. the directory path. */
  readonly description: string;
  /** Lists every migration in run order. Throws `MigrationSourceError` for bad input. */
  list(): Promise<readonly MigrationDefinition[]>;
}
