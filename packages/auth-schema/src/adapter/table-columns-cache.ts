import { sql, type Kysely } from 'kysely';
import { quoteTableName } from './sql-identifiers.js';
import type { TableCodec } from './table-codec.js';

/**
 * The column names of the app's tables, read from the catalog once per table (Kysely row
 * types do not exist at run time). Statements that join two of the app's tables need them
 * to select every column, custom ones included, under distinct aliases.
 */
export class TableColumnsCache {
  private readonly pending = new Map<string, Promise<readonly string[]>>();

  /** The table's columns, from the codec when it knows them, else from the catalog (cached). */
  async columnsOf(db: Kysely<any>, codec: TableCodec): Promise<readonly string[]> {
    if (codec.columnNames) return codec.columnNames;
    let columns = this.pending.get(codec.tableName);
    if (!columns) {
      columns = readColumns(db, codec.tableName);
      this.pending.set(codec.tableName, columns);
      // A failed read (e.g. table not created yet) must not be cached forever.
      columns.catch(() => this.pending.delete(codec.tableName));
    }
    return await columns;
  }

  /** Forgets what was read, e.g. after a migration added or dropped a column. */
  clear(): void {
    this.pending.clear();
  }
}

async function readColumns(db: Kysely<any>, tableName: string): Promise<readonly string[]> {
  const result = await sql<{ attname: string }>`
    select attname from pg_attribute
    where attrelid = ${quoteTableName(tableName)}::regclass and attnum > 0 and not attisdropped
    order by attnum`.execute(db);
  return result.rows.map((row) => row.attname);
}
