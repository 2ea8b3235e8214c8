import type { CreateTableBuilder } from 'kysely';

/**
 * The name of the table a `CreateTableBuilder` creates, without schema. The mixins name
 * their constraints after it, the way PostgreSQL would.
 */
export function tableNameOf(table: CreateTableBuilder<string, string>): string {
  return table.toOperationNode().table.table.identifier.name;
}
