import { sql, type CreateTableBuilder } from 'kysely';

/**
 * Adds `id uuid primary key default gen_random_uuid()`. Use it first so `id` is the first
 * column, as in the Drizzle column sets.
 *
 * @example
 * await db.schema.createTable('projects').$call(primaryKeyColumn).addColumn('name', 'text').execute();
 */
export function primaryKeyColumn<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
): CreateTableBuilder<TB, C | 'id'> {
  return table.addColumn('id', 'uuid', (column) => column.primaryKey().defaultTo(sql`gen_random_uuid()`));
}

/**
 * Adds `id uuid not null default gen_random_uuid()` without a primary key, for the
 * organization-scoped tables (members, invitations, teams, team members): their mixins
 * declare `primary key (organization_id, id)` so the tables can be distributed by
 * organization (Citus), where a key without the distribution column cannot be enforced.
 * Use it first, in place of `primaryKeyColumn`.
 *
 * @example
 * await db.schema.createTable('members').$call(organizationScopedIdColumn).$call(memberColumns).$call(timestampColumns).execute();
 */
export function organizationScopedIdColumn<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
): CreateTableBuilder<TB, C | 'id'> {
  return table.addColumn('id', 'uuid', (column) => column.notNull().defaultTo(sql`gen_random_uuid()`));
}

/**
 * Adds `created_at` and `updated_at`, both `timestamptz not null default now()`.
 *
 * @example
 * await db.schema.createTable('projects').$call(primaryKeyColumn).addColumn('name', 'text').$call(timestampColumns).execute();
 */
export function timestampColumns<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
): CreateTableBuilder<TB, C | 'created_at' | 'updated_at'> {
  return table
    .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`));
}
