import { sql } from 'kysely';

/** Case-insensitive text; needs the `citext` extension (see `ensureCitextExtension`). */
export const citextType = sql`citext`;

/** A PostgreSQL `text[]`. */
export const textArrayType = sql`text[]`;
