import type { Insertable, Selectable, Updateable } from 'kysely';
import type { defaultTableNames } from '../schema/table-names.js';
import type { TableCodec } from './table-codec.js';

/**
 * Where an adapter finds one of its tables: the table's name in the app's Kysely
 * `Database` interface (row types come from there), or a codec (row types come from the
 * Drizzle table it was made from).
 *
 * @example
 * const tables = { users: 'app_users' } satisfies Partial<Record<'users', TableSource<Database>>>;
 */
export type TableSource<DB> = (keyof DB & string) | TableCodec;

/**
 * The app's row type for a table source.
 *
 * @example
 * type User = RowOf<Database, 'app_users'>; // Selectable<Database['app_users']>
 */
export type RowOf<DB, Source> =
  Source extends TableCodec<infer Row, any> ? Row : Source extends keyof DB ? Selectable<DB[Source]> : never;

/**
 * The app's insert type for a table source.
 *
 * @example
 * type NewUser = InsertOf<Database, 'app_users'>; // Insertable<Database['app_users']>
 */
export type InsertOf<DB, Source> =
  Source extends TableCodec<any, infer Insert> ? Insert : Source extends keyof DB ? Insertable<DB[Source]> : never;

/**
 * The app's update type for a table source.
 *
 * @example
 * type UserChanges = UpdateOf<Database, 'app_users'>; // Updateable<Database['app_users']>
 */
export type UpdateOf<DB, Source> =
  Source extends TableCodec<any, infer Insert> ? Partial<Insert> : Source extends keyof DB ? Updateable<DB[Source]> : never;

type DefaultTableNames = typeof defaultTableNames;

/** The source the app configured for a table role, or the default table name. */
export type SourceOf<Tables, Key extends keyof DefaultTableNames> = Tables extends { readonly [K in Key]: infer Source }
  ? Source extends string | TableCodec
    ? Source
    : DefaultTableNames[Key]
  : DefaultTableNames[Key];

/** Keys that the adapter fills in itself and the caller may not pass. */
export type GeneratedKeys = 'id' | 'created_at' | 'createdAt' | 'updated_at' | 'updatedAt';

/** `T` without the listed keys (whichever of them it has). */
export type Without<T, Keys extends PropertyKey> = Omit<T, Keys & keyof T>;

/** `T` with the listed keys (whichever of them it has) made optional. */
export type WithOptional<T, Keys extends PropertyKey> = Omit<T, Keys & keyof T> & Partial<Pick<T, Keys & keyof T>>;
