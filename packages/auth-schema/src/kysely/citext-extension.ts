import { sql, type Kysely } from 'kysely';
import { ExtensionUnavailableError } from '../errors/extension-unavailable-error.js';

/**
 * The SQL that installs `citext`, for SQL or drizzle-kit migration folders: put it in the
 * first migration, before any table that uses the mixins.
 *
 * @example
 * await client.query(createCitextExtensionSql);
 */
export const createCitextExtensionSql = 'create extension if not exists citext';

/**
 * Makes sure the `citext` extension (case-insensitive text, used for emails, provider ids
 * and slugs) exists. Call it first in the migration that creates the tables. When it is
 * installed already nothing is attempted, so a role that may not create extensions still
 * works; when it is missing and cannot be created, throws `ExtensionUnavailableError`.
 *
 * @example
 * export async function up(db: Kysely<any>) {
 *   await ensureCitextExtension(db);
 *   await db.schema.createTable('users').$call(primaryKeyColumn).$call(userColumns).$call(timestampColumns).execute();
 * }
 */
export async function ensureCitextExtension(db: Kysely<any>): Promise<{ created: boolean }> {
  const installed = await sql<{ present: boolean }>`select exists (select 1 from pg_extension where extname = 'citext') as present`.execute(db);
  if (installed.rows[0]?.present) return { created: false };
  try {
    await sql.raw(createCitextExtensionSql).execute(db);
    return { created: true };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // 42501 insufficient_privilege; 58P01/0A000 when the extension files are not installed.
    if (code === '42501' || code === '58P01' || code === '0A000') throw new ExtensionUnavailableError('citext', { cause: error });
    throw error;
  }
}
