import pg from 'pg';

/** What the catalog says about the `public` schema, in a form two databases can be compared by. */
export interface CatalogSnapshot {
  tables: string[];
  columns: { table: string; position: number; name: string; type: string; notNull: boolean; default: string | null }[];
  indexes: { table: string; name: string; definition: string }[];
  constraints: { table: string; name: string; type: string; definition: string }[];
}

/** Reads tables, columns, indexes (with partial predicates) and constraints of `public`. */
export async function readCatalogSnapshot(connectionString: string): Promise<CatalogSnapshot> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' order by 1`,
    );
    const columns = await client.query(
      `select c.relname as table, a.attnum as position, a.attname as name,
              format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull",
              pg_get_expr(d.adbin, d.adrelid) as default
       from pg_attribute a
       join pg_class c on c.oid = a.attrelid
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
       order by 1, 2`,
    );
    const indexes = await client.query(
      `select t.relname as table, i.relname as name, pg_get_indexdef(x.indexrelid) as definition
       from pg_index x
       join pg_class i on i.oid = x.indexrelid
       join pg_class t on t.oid = x.indrelid
       join pg_namespace n on n.oid = t.relnamespace
       where n.nspname = 'public' order by 1, 2`,
    );
    const constraints = await client.query(
      `select t.relname as table, k.conname as name, k.contype as type, pg_get_constraintdef(k.oid) as definition
       from pg_constraint k
       join pg_class t on t.oid = k.conrelid
       join pg_namespace n on n.oid = t.relnamespace
       where n.nspname = 'public' order by 1, 2`,
    );
    return {
      tables: tables.rows.map((row) => row.name),
      columns: columns.rows,
      indexes: indexes.rows,
      constraints: constraints.rows,
    };
  } finally {
    await client.end();
  }
}
