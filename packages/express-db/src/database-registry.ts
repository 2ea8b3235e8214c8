import type { Kysely } from 'kysely';

/**
 * Declaration-merging hook: name your database interface once and `req.db`, `getDb(req)`
 * and `currentDb()` are typed everywhere without a type argument.
 *
 * @example
 * declare module '@strata/express-db' {
 *   interface DatabaseRegistry {
 *     database: Database; // your Kysely database interface
 *   }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the app through declaration merging
export interface DatabaseRegistry {}

/**
 * The database interface registered through `DatabaseRegistry`, or `any` when none is.
 *
 * @example
 * function listProjects(db: Kysely<RegisteredDatabase>) { return db.selectFrom('projects').selectAll().execute(); }
 */
export type RegisteredDatabase = DatabaseRegistry extends { database: infer Database } ? Database : any;

declare global {
  // Express's own types merge into this global namespace (@types/express-serve-static-core).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * The database for this request: the tenant (or request) transaction inside a scope,
       * the attached database elsewhere. Defined by `attachDb(app, db)`; reading it throws
       * `TenantScopeError` after the scope's transaction ended.
       */
      readonly db: Kysely<RegisteredDatabase>;
    }
  }
}
