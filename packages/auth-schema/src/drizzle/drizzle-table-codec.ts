import { getTableColumns, is, SQL } from 'drizzle-orm';
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import type { TableCodec } from '../adapter/table-codec.js';
import { InvalidInputError } from '../errors/input-errors.js';

/**
 * The codecs `drizzleAuthTables` makes: one per Drizzle table, typed from it.
 *
 * @example
 * const tables: DrizzleTableCodecs<{ users: typeof users }> = drizzleAuthTables({ users });
 */
export type DrizzleTableCodecs<Tables> = {
  [Key in keyof Tables]-?: NonNullable<Tables[Key]> extends PgTable
    ? TableCodec<NonNullable<Tables[Key]>['$inferSelect'], NonNullable<Tables[Key]>['$inferInsert']>
    : never;
};

function decodeValue(column: PgColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  // node-postgres has parsed timestamps already; Drizzle's mapping expects its own text form.
  if (value instanceof Date) return column.dataType === 'string' ? value.toISOString() : value;
  return column.mapFromDriverValue(value);
}

function runtimeDefault(generate: (() => unknown) | undefined): unknown {
  if (!generate) return undefined;
  const value = generate();
  // SQL defaults are left to the database (the column's DEFAULT does the same job).
  return is(value, SQL) ? undefined : value;
}

/**
 * A codec for one Drizzle table: `displayName` ↔ `display_name`, each column's own driver
 * mapping (JSON, arrays, timestamps), `$defaultFn` on insert and `$onUpdate` on update.
 *
 * @example
 * const codec = drizzleTableCodec(users);
 */
export function drizzleTableCodec<Table extends PgTable>(table: Table): TableCodec<Table['$inferSelect'], Table['$inferInsert']> {
  const config = getTableConfig(table);
  const tableName = config.schema ? `${config.schema}.${config.name}` : config.name;
  const entries = Object.entries(getTableColumns(table)) as [string, PgColumn][];
  const columnsByKey = new Map(entries);
  const keysByName = new Map(entries.map(([key, column]) => [column.name, key]));
  return {
    tableName,
    columnNames: entries.map(([, column]) => column.name),
    decode(row) {
      const decoded: Record<string, unknown> = {};
      for (const [key, column] of entries) {
        if (column.name in row) decoded[key] = decodeValue(column, row[column.name]);
      }
      return decoded as Table['$inferSelect'];
    },
    encode(values, operation = 'insert') {
      const record: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) continue;
        const column = columnsByKey.get(key);
        if (!column) throw new InvalidInputError(key, `not a column of ${tableName}`);
        record[column.name] = value === null ? null : column.mapToDriverValue(value);
      }
      for (const [key, column] of entries) {
        if (values[key] !== undefined) continue;
        const generated = runtimeDefault(operation === 'insert' ? column.defaultFn : column.onUpdateFn);
        if (generated !== undefined) record[column.name] = column.mapToDriverValue(generated);
      }
      return record;
    },
    fieldName: (columnName) => keysByName.get(columnName) ?? columnName,
  };
}

const tableRoles = new Set([
  'users',
  'accounts',
  'sessions',
  'oauthStates',
  'verificationTokens',
  'roles',
  'userRoles',
  'organizations',
  'members',
  'invitations',
  'teams',
  'teamMembers',
]);

/**
 * Turns the app's Drizzle tables into the `tables` option of the adapters, so they read and
 * write them with Drizzle's field names and types (custom columns included). Pass only the
 * tables the adapter needs; the keys are the adapters' table roles.
 *
 * @example
 * const auth = createAuthAdapter({ db, tables: drizzleAuthTables({ users, accounts, sessions, oauthStates, verificationTokens, roles, userRoles }) });
 * const user = await auth.createUser({ email: 'ada@example.com', displayName: 'Ada' }); // typed from `users`
 */
export function drizzleAuthTables<
  const Tables extends Partial<
    Record<
      | 'users'
      | 'accounts'
      | 'sessions'
      | 'oauthStates'
      | 'verificationTokens'
      | 'roles'
      | 'userRoles'
      | 'organizations'
      | 'members'
      | 'invitations'
      | 'teams'
      | 'teamMembers',
      PgTable
    >
  >,
>(tables: Tables): DrizzleTableCodecs<Tables> {
  const codecs: Record<string, TableCodec> = {};
  for (const [role, table] of Object.entries(tables)) {
    // A whole schema module may be passed: anything that is not a known role (relations,
    // other tables) is ignored.
    if (table && tableRoles.has(role) && is(table, PgTable)) codecs[role] = drizzleTableCodec(table);
  }
  return codecs as DrizzleTableCodecs<Tables>;
}
