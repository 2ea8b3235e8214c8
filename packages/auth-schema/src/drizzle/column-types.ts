import { customType } from 'drizzle-orm/pg-core';

/**
 * A Drizzle `citext` column (case-insensitive text; needs the `citext` extension, see
 * `createCitextExtensionSql`).
 *
 * @example
 * const tags = pgTable('tags', { label: citext('label').notNull() });
 */
export const citext = customType<{ data: string }>({
  dataType() {
    return 'citext';
  },
});

/**
 * A Drizzle `bytea` column holding a `Buffer` (drizzle-orm 0.45 has no built-in one). The
 * session, OAuth-state and verification-token hashes use it.
 *
 * @example
 * const blobs = pgTable('blobs', { content: bytea('content').notNull() });
 */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType() {
    return 'bytea';
  },
});
