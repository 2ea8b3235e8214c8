import { createHash } from 'node:crypto';
import { asPreparedStatement } from '@strata/db-core';
import { CompiledQuery, type Kysely } from 'kysely';
import { isCachedPlanChanged, isUndefinedColumn } from './database-errors.js';
import { quoteIdentifier, quoteTableName } from './sql-identifiers.js';
import type { TableColumnsCache } from './table-columns-cache.js';
import type { TableCodec } from './table-codec.js';

/** One table of a join: its alias in the FROM clause and its codec. */
export interface JoinedTable {
  readonly alias: string;
  readonly codec: TableCodec;
  /** Columns not to select (the caller knows their value, e.g. the hash it looked up by). */
  readonly omit?: readonly string[];
}

interface CompiledStatement {
  readonly text: string;
  /** Server-side statement name, derived from the text (same name, same text). */
  readonly name: string;
  readonly aliases: string[][];
  readonly columns: (readonly string[])[];
}

/** The parts of the statement around the select list. */
export interface JoinedStatement {
  /** Everything after `select <columns>`: `from … join … where …`, with `$1`… placeholders. */
  readonly fromClause: (tables: Record<string, string>) => string;
}

/**
 * Selects full rows of several joined tables in ONE statement. `select a.*, b.*` would lose
 * columns whose names collide (`id`, `created_at`…), so every column is selected under a
 * positional alias and the rows are rebuilt per table. The SQL text is built once (after
 * the column lists are known) and reused as a named prepared statement: per call, only the
 * parameters travel.
 */
export class JoinedRowReader {
  private compiled: Promise<CompiledStatement> | undefined;
  /** The compiled statement once ready, so the hot path skips even an await on it. */
  private ready: CompiledStatement | undefined;

  constructor(
    private readonly tables: readonly JoinedTable[],
    private readonly statement: JoinedStatement,
    private readonly columnsCache: TableColumnsCache,
  ) {}

  /** Runs the statement; each result row becomes one SQL-named record per table. */
  async read(db: Kysely<any>, parameters: readonly unknown[]): Promise<Record<string, unknown>[][]> {
    try {
      return await this.readOnce(db, parameters, true);
    } catch (error) {
      if (isCachedPlanChanged(error)) {
        // A column's type changed under this connection's prepared statement: run it unnamed.
        return await this.readOnce(db, parameters, false);
      }
      if (!isUndefinedColumn(error)) throw error;
      // The table changed under us (a migration dropped a column): read the catalog again.
      this.compiled = undefined;
      this.ready = undefined;
      this.columnsCache.clear();
      return await this.readOnce(db, parameters, true);
    }
  }

  private async readOnce(db: Kysely<any>, parameters: readonly unknown[], prepared: boolean): Promise<Record<string, unknown>[][]> {
    const { text, name, aliases, columns } = this.ready ?? (this.ready = await (this.compiled ??= this.compile(db)));
    // A named prepared statement: parsed and planned once per connection (db-core sends it
    // unnamed behind a transaction pooler), which is most of the server's work for this join.
    const raw = CompiledQuery.raw(text, [...parameters]);
    const query = prepared ? asPreparedStatement(raw, name) : raw;
    const result = await db.executeQuery<Record<string, unknown>>(query);
    return result.rows.map((row) =>
      columns.map((tableColumns, tableIndex) => {
        const record: Record<string, unknown> = {};
        const tableAliases = aliases[tableIndex]!;
        for (let index = 0; index < tableColumns.length; index += 1) {
          record[tableColumns[index]!] = row[tableAliases[index]!];
        }
        return record;
      }),
    );
  }

  private async compile(db: Kysely<any>): Promise<CompiledStatement> {
    const compiling = (async () => {
      const columns = await Promise.all(
        this.tables.map(async (table) => {
          const all = await this.columnsCache.columnsOf(db, table.codec);
          return table.omit ? all.filter((column) => !table.omit!.includes(column)) : all;
        }),
      );
      const aliases = columns.map((tableColumns, tableIndex) => tableColumns.map((_, index) => `c${tableIndex}_${index}`));
      const selectList = this.tables
        .flatMap((table, tableIndex) =>
          columns[tableIndex]!.map(
            (column, index) => `${quoteIdentifier(table.alias)}.${quoteIdentifier(column)} as ${aliases[tableIndex]![index]!}`,
          ),
        )
        .join(', ');
      const tableNames = Object.fromEntries(this.tables.map((table) => [table.alias, quoteTableName(table.codec.tableName)]));
      const text = `select ${selectList} ${this.statement.fromClause(tableNames)}`;
      const name = `strata_auth_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      return { text, name, aliases, columns };
    })();
    compiling.catch(() => {
      this.compiled = undefined;
    });
    return await compiling;
  }
}
