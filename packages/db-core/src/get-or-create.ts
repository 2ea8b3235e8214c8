import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { KyselyInstance } from './kysely-instance.js';
import { ConfigurationError } from './errors/configuration-error.js';
import { StrataError } from './errors/strata-error.js';

/** The row and whether this call inserted it. */
export interface GetOrCreateResult<Row> {
  readonly row: Row;
  readonly created: boolean;
}

/** Options of `getOrCreate`. */
export interface GetOrCreateOptions<DB, TB extends keyof DB> {
  /** Identifying columns. They must match a unique constraint or unique index. */
  readonly where: Partial<Insertable<DB[TB]>>;
  /** Extra values used only when the row is created. */
  readonly defaults?: Partial<Insertable<DB[TB]>>;
  /** The unique columns to arbitrate on. Default: the keys of `where`. */
  readonly conflictColumns?: readonly string[];
}

/** Options of `updateOrCreate`. */
export interface UpdateOrCreateOptions<DB, TB extends keyof DB> {
  /** Identifying columns. They must match a unique constraint or unique index. */
  readonly where: Partial<Insertable<DB[TB]>>;
  /** Values written on insert and on update. */
  readonly values: Partial<Insertable<DB[TB]>>;
  /** Default: the keys of `where`. */
  readonly conflictColumns?: readonly string[];
}

const maximumAttempts = 5;

function identifyingColumns(where: object, conflictColumns: readonly string[] | undefined): string[] {
  const columns = conflictColumns ? [...conflictColumns] : Object.keys(where);
  if (columns.length === 0) throw new ConfigurationError('getOrCreate/updateOrCreate need at least one identifying column in `where`');
  return columns;
}

/**
 * Returns the row matching `where`, inserting it (with `defaults`) if it does not exist.
 * Race-safe: built on `INSERT … ON CONFLICT DO NOTHING`, so concurrent callers all get the
 * same single row and exactly one of them sees `created: true`. If the row is deleted
 * between the insert attempt and the read, it tries again (bounded).
 *
 * @example
 * const { row: tag, created } = await getOrCreate(db, 'tags', { where: { name: 'urgent' }, defaults: { color: 'red' } });
 */
export async function getOrCreate<DB, TB extends keyof DB & string>(
  db: KyselyInstance<DB>,
  table: TB,
  options: GetOrCreateOptions<NoInfer<DB>, TB>,
): Promise<GetOrCreateResult<Selectable<DB[TB]>>> {
  const columns = identifyingColumns(options.where, options.conflictColumns);
  const untyped = db as unknown as Kysely<any>;
  for (let attempt = 0; attempt < maximumAttempts; attempt += 1) {
    const inserted = await untyped
      .insertInto(table)
      .values({ ...options.defaults, ...options.where })
      .onConflict((conflict) => conflict.columns(columns as never).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { row: inserted as Selectable<DB[TB]>, created: true };
    // Someone else's row won the conflict. A new statement gets a new snapshot, so this
    // read sees it even when the winner committed after our INSERT began.
    let query = untyped.selectFrom(table).selectAll();
    for (const [column, value] of Object.entries(options.where)) {
      query = value === null ? query.where(column, 'is', null) : query.where(column, '=', value);
    }
    const existing = await query.executeTakeFirst();
    if (existing) return { row: existing as Selectable<DB[TB]>, created: false };
  }
  throw new StrataError(`getOrCreate on ${table}: the row was deleted concurrently ${maximumAttempts} times in a row`, {
    code: 'STRATA_GET_OR_CREATE_CONTENTION',
  });
}

/**
 * Inserts a row or, when one with the same identifying columns exists, updates it with
 * `values`, in one atomic statement (`INSERT … ON CONFLICT DO UPDATE`). `created` tells
 * which happened.
 *
 * @example
 * const { row, created } = await updateOrCreate(db, 'settings', { where: { key: 'theme' }, values: { value: 'dark' } });
 */
export async function updateOrCreate<DB, TB extends keyof DB & string>(
  db: KyselyInstance<DB>,
  table: TB,
  options: UpdateOrCreateOptions<NoInfer<DB>, TB>,
): Promise<GetOrCreateResult<Selectable<DB[TB]>>> {
  const columns = identifyingColumns(options.where, options.conflictColumns);
  const updates = Object.keys(options.values);
  if (updates.length === 0) throw new ConfigurationError('updateOrCreate needs at least one column in `values`');
  const untyped = db as unknown as Kysely<any>;
  const row = await untyped
    .insertInto(table)
    .values({ ...options.values, ...options.where })
    .onConflict((conflict) =>
      conflict
        .columns(columns as never)
        .doUpdateSet(
          (excluded) => Object.fromEntries(updates.map((column) => [column, excluded.ref(`excluded.${column}` as never)])) as never,
        ),
    )
    .returningAll()
    // xmax is 0 only for a freshly inserted tuple: the standard way to tell insert from update.
    .returning(sql<boolean>`(xmax = 0)`.as('__strata_created'))
    .executeTakeFirstOrThrow();
  const { __strata_created: created, ...rest } = row as Record<string, unknown>;
  return { row: rest as Selectable<DB[TB]>, created: created === true };
}
