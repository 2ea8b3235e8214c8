import { sql } from 'kysely';
import { InvalidInputError } from '../errors/input-errors.js';
import { requireRecord } from '../validation/input-validation.js';
import type { AdapterContext, TableRole } from './adapter-context.js';
import { isUndefinedColumn } from './database-errors.js';
import type { TableCodec } from './table-codec.js';

/** A row or record keyed by SQL column names. */
export type SqlRecord = Record<string, unknown>;

/** The caller's values for one table, read through the app's field names. */
export interface AppValues {
  /** The values as the caller passed them (app field names). */
  readonly input: Record<string, unknown>;
  /** The app's field name of a SQL column. */
  name(column: string): string;
  /** The caller's value for a SQL column (under its app field name). */
  get(column: string): unknown;
  /** Whether the caller passed a value (even null) for a SQL column. */
  has(column: string): boolean;
}

/** Wraps the caller's values so standard columns can be validated under the app's names. */
export function appValues(codec: TableCodec, values: unknown, field = 'values'): AppValues {
  const input = requireRecord(field, values);
  return {
    input,
    name: (column) => codec.fieldName(column),
    get: (column) => input[codec.fieldName(column)],
    has: (column) => input[codec.fieldName(column)] !== undefined,
  };
}

/** Fields the adapters set themselves; callers' values for them are ignored. */
function withoutManagedColumns(record: SqlRecord, managed: readonly string[]): SqlRecord {
  for (const column of managed) delete record[column];
  return record;
}

/** Encodes the caller's values to SQL columns, dropping the columns the adapter manages. */
export function encodeValues(
  codec: TableCodec,
  values: AppValues,
  managed: readonly string[] = [],
  operation: 'insert' | 'update' = 'insert',
): SqlRecord {
  return withoutManagedColumns(codec.encode(values.input, operation), managed);
}

/** Runs a write, turning "no such column" into a typed input error (nothing was written). */
export async function guardColumns<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUndefinedColumn(error)) throw new InvalidInputError('values', 'contains a field that is not a column of the table');
    throw error;
  }
}

/** Inserts one row and returns it (SQL names). */
export async function insertRow(context: AdapterContext, role: TableRole, record: SqlRecord): Promise<SqlRecord> {
  const table = context.tables[role].tableName;
  return await guardColumns(
    async () => (await context.db.insertInto(table).values(record).returningAll().executeTakeFirstOrThrow()) as SqlRecord,
  );
}

/** Updates the row with this id (setting `updated_at`), returning it, or undefined when absent. */
export async function updateRowById(
  context: AdapterContext,
  role: TableRole,
  id: string,
  record: SqlRecord,
): Promise<SqlRecord | undefined> {
  const table = context.tables[role].tableName;
  return await guardColumns(
    async () =>
      (await context.db
        .updateTable(table)
        .set({ ...record, updated_at: sql`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst()) as SqlRecord | undefined,
  );
}

/** Selects the first row where `column = value`. */
export async function selectRowWhere(
  context: AdapterContext,
  role: TableRole,
  column: string,
  value: unknown,
): Promise<SqlRecord | undefined> {
  const table = context.tables[role].tableName;
  return (await context.db.selectFrom(table).selectAll().where(column, '=', value).executeTakeFirst()) as SqlRecord | undefined;
}

/** Deletes the row with this id; whether there was one. */
export async function deleteRowById(context: AdapterContext, role: TableRole, id: string): Promise<boolean> {
  const table = context.tables[role].tableName;
  const result = await context.db.deleteFrom(table).where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Decodes a SQL row into the app's row type for a role. */
export function decodeRow<Row>(context: AdapterContext, role: TableRole, row: SqlRecord): Row {
  return context.tables[role].decode(row) as Row;
}
