/**
 * How an adapter reads and writes one of the app's tables. The adapters work with SQL
 * column names internally; a codec turns a SQL row into the app's row type and the app's
 * values into SQL columns. With Kysely, both shapes are the same (the app's `Database`
 * interface uses the SQL names), so the codec only passes values through; with Drizzle,
 * `drizzleAuthTables()` builds codecs that rename `displayName` ↔ `display_name` and apply
 * each column's driver mapping.
 *
 * @example
 * const codec: TableCodec<typeof users.$inferSelect, typeof users.$inferInsert> = drizzleTableCodec(users);
 */
export interface TableCodec<Row = any, Insert = any> {
  /** The table's SQL name, optionally schema-qualified (`auth.users`). */
  readonly tableName: string;
  /**
   * Every column's SQL name, in order, when the codec knows them up front (Drizzle).
   * `undefined` means the adapter reads them from the catalog once, when first needed.
   */
  readonly columnNames: readonly string[] | undefined;
  /** Turns a row as the database returns it (SQL column names) into the app's row. */
  decode(row: Record<string, unknown>): Row;
  /**
   * Turns the app's values into SQL column → value. Undefined values are dropped; an
   * unknown field throws `InvalidInputError`. `operation` lets a codec apply its runtime
   * defaults (Drizzle's `$defaultFn` on insert, `$onUpdate` on update).
   */
  encode(values: Record<string, unknown>, operation?: 'insert' | 'update'): Record<string, unknown>;
  /** The app's field name for a SQL column (`display_name` → `displayName` with Drizzle). */
  fieldName(columnName: string): string;
  /** Type-only: the row and insert types this codec produces. */
  readonly types?: { readonly row: Row; readonly insert: Insert };
}

/**
 * The codec for a table of a Kysely `Database` interface: SQL names are the app's names.
 * JSON columns of the mixins (`metadata`, `payload`) are serialized here because
 * node-postgres would otherwise send a JavaScript array as a PostgreSQL array literal.
 */
export function kyselyTableCodec(tableName: string, jsonColumns: readonly string[] = []): TableCodec {
  return {
    tableName,
    columnNames: undefined,
    decode: (row) => row,
    encode(values) {
      const record: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) continue;
        record[key] = jsonColumns.includes(key) && value !== null ? JSON.stringify(value) : value;
      }
      return record;
    },
    fieldName: (columnName) => columnName,
  };
}

/** Whether a table source is a codec rather than a table name. */
export function isTableCodec(source: unknown): source is TableCodec {
  return typeof source === 'object' && source !== null && typeof (source as TableCodec).decode === 'function';
}
