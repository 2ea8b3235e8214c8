import { sql, type RawBuilder } from 'kysely';

/** Quotes one identifier for SQL text (`"a""b"`). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a possibly schema-qualified table name (`auth.users` → `"auth"."users"`). */
export function quoteTableName(tableName: string): string {
  return tableName.split('.').map(quoteIdentifier).join('.');
}

/** A Kysely reference to a possibly schema-qualified table. */
export function tableReference(tableName: string): RawBuilder<unknown> {
  return sql.table(tableName);
}
