import { timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The primary-key column set: `id uuid primary key default gen_random_uuid()`. Spread it
 * first into `pgTable` so `id` is the first column, as with the Kysely mixin.
 *
 * @example
 * export const projects = pgTable('projects', { ...primaryKeyColumn(), name: text('name').notNull() });
 */
export function primaryKeyColumn() {
  return { id: uuid('id').primaryKey().defaultRandom() };
}

/**
 * The organization-scoped id column set: `id uuid not null default gen_random_uuid()`
 * without a primary key, for members, invitations, teams and team members: their constraint
 * helpers declare `primary key (organization_id, id)` so the tables can be distributed by
 * organization (Citus), where a key without the distribution column cannot be enforced.
 * Spread it first, in place of `primaryKeyColumn()`.
 *
 * @example
 * export const members = pgTable('members', { ...organizationScopedIdColumn(), ...memberColumns(), ...timestampColumns() }, (table) =>
 *   memberConstraints(table, { users, organizations }),
 * );
 */
export function organizationScopedIdColumn() {
  return { id: uuid('id').notNull().defaultRandom() };
}

/**
 * The timestamp column set: `createdAt` / `updatedAt` (`created_at` / `updated_at`,
 * `timestamptz not null default now()`). `updatedAt` also gets Drizzle's `$onUpdate`, so the
 * app's own Drizzle updates keep it current; the adapters set it themselves.
 *
 * @example
 * export const projects = pgTable('projects', { ...primaryKeyColumn(), name: text('name').notNull(), ...timestampColumns() });
 */
export function timestampColumns() {
  return {
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  };
}
