import type { ControlledTransaction, Kysely, Transaction } from 'kysely';
import type { StrataDb } from './create-db.js';

/**
 * Anything that runs Kysely queries for database `DB`: a `Kysely`, a `StrataDb`, a
 * `Transaction` or a `ControlledTransaction`. Strata's helpers take this union rather than
 * `Kysely<DB>` because TypeScript infers `DB` reliably only from the exact class it is
 * given: from a subclass such as `Transaction<DB>` it infers garbage.
 *
 * @example
 * async function countNotes<DB>(db: KyselyInstance<DB>) { … }
 */
export type KyselyInstance<DB> = Kysely<DB> | Transaction<DB> | ControlledTransaction<DB, any> | StrataDb<DB>;
