import type { Kysely, Selectable } from 'kysely';
import type { KyselyInstance } from '@strata/db-core';
import { NotFoundError } from './errors/http-error.js';

/** Something that yields at most one row: a Kysely select query, or a promise of a row. */
export type FirstRowSource<T> = { executeTakeFirst(): Promise<T | undefined> } | PromiseLike<T | undefined>;

/** Options of `getOr404`. */
export interface GetOr404Options {
  /** The key column. Default `id`. */
  readonly column?: string;
  /** The 404 detail. Default: "The requested resource was not found". */
  readonly message?: string;
}

/**
 * Runs a query (or awaits a promise) and returns its first row, or throws `NotFoundError`
 * (404) when there is none. Under row-level security a row of another tenant is simply not
 * there, so it is a 404 too.
 *
 * @example
 * const project = await firstOr404(
 *   req.db.selectFrom('projects').selectAll().where('slug', '=', req.params.slug),
 * );
 */
export async function firstOr404<T>(source: FirstRowSource<T>, message?: string): Promise<T> {
  const row = await ('executeTakeFirst' in source ? source.executeTakeFirst() : source);
  if (row === undefined || row === null) throw new NotFoundError(message);
  return row;
}

/**
 * Fetches one row of `table` by primary key (`id` by default), or throws `NotFoundError`
 * (404). A missing id (undefined, null, empty string) is a 404 without any query; an id of
 * the wrong shape for the column (e.g. not a UUID) is PostgreSQL's data exception, which
 * the error handler answers with 400.
 *
 * @example
 * app.get('/projects/:id', async (req, res) => {
 *   res.json(await getOr404(req.db, 'projects', req.params.id));
 * });
 */
export async function getOr404<DB, TableName extends keyof DB & string>(
  db: KyselyInstance<DB>,
  table: TableName,
  id: unknown,
  options: GetOr404Options = {},
): Promise<Selectable<DB[TableName]>> {
  if (id === undefined || id === null || id === '') throw new NotFoundError(options.message);
  // Kysely cannot type a column chosen at run time; the table name is checked above.
  const query = (db as Kysely<any>)
    .selectFrom(table)
    .selectAll()
    .where(options.column ?? 'id', '=', id);
  return (await firstOr404(query, options.message)) as Selectable<DB[TableName]>;
}
