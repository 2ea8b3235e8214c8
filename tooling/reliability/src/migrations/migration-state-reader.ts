import pg from 'pg';

/** The database's migration state, read in one snapshot. */
export interface MigrationSnapshot {
  /** Names in the bookkeeping table (empty before the first run created it). */
  readonly recorded: readonly string[];
  /** Rows each migration's body inserted into `migration_markers`. */
  readonly markers: readonly string[];
  /** Tables each migration created (`k_<number>`), mapped back to the migration name. */
  readonly tables: readonly string[];
  /** Tables whose index (the migration's last statement) exists. */
  readonly indexedTables: readonly string[];
  /** Bookkeeping rows minus distinct names: > 0 means a migration was recorded twice. */
  readonly duplicateRecords: number;
}

/**
 * Reads the bookkeeping table, the markers, the created tables and their indexes in one
 * REPEATABLE READ transaction, so the four views are of the same moment.
 *
 * @example
 * const snapshot = await readMigrationSnapshot(database.adminUrl);
 */
export async function readMigrationSnapshot(adminUrl: string, tablePrefix = 'k_'): Promise<MigrationSnapshot> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read');
    const names = async (text: string, values: unknown[] = []) => (await client.query<{ name: string }>(text, values)).rows.map((row) => row.name).sort();
    const markers = await names('select name from migration_markers');
    const exists = (await client.query<{ exists: boolean }>(`select to_regclass('public.strata_migrations') is not null as exists`)).rows[0]!.exists;
    const recorded = exists ? await names('select name from strata_migrations') : [];
    const tables = await names(`select tablename as name from pg_tables where schemaname = 'public' and tablename like $1`, [`${tablePrefix}%`]);
    const indexedTables = await names(
      `select distinct tablename as name from pg_indexes where schemaname = 'public' and tablename like $1 and indexname like '%value%'`,
      [`${tablePrefix}%`],
    );
    await client.query('commit');
    return {
      recorded,
      markers,
      tables,
      indexedTables,
      duplicateRecords: recorded.length - new Set(recorded).size,
    };
  } finally {
    await client.end();
  }
}

/**
 * Migrations seen in some views but not all: a migration caught between "before" and
 * "after". `tableOf` maps a migration name to the table it creates.
 *
 * @example
 * expect(halfApplied(snapshot, (name) => `k_${name.slice(0, 3)}`)).toEqual([]);
 */
export function halfApplied(snapshot: MigrationSnapshot, tableOf: (name: string) => string): string[] {
  const candidates = new Set([...snapshot.recorded, ...snapshot.markers]);
  const tables = new Set(snapshot.tables);
  const indexed = new Set(snapshot.indexedTables);
  for (const table of tables) {
    if (![...candidates].some((name) => tableOf(name) === table)) candidates.add(`(table ${table} without its migration)`);
  }
  return [...candidates].filter((name) => {
    if (name.startsWith('(')) return true;
    const table = tableOf(name);
    return !(snapshot.recorded.includes(name) && snapshot.markers.includes(name) && tables.has(table) && indexed.has(table));
  });
}
