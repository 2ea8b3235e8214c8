import type { Express, NextFunction, Request, Response } from 'express';
import type { StrataDb } from '@strata/db-core';
import type { MigrationStatusSource } from './readiness-check.js';
import { getDb, runInRequestContext, setAttachment } from './request-context.js';

/** Options of `attachDb`. */
export interface AttachDbOptions {
  /**
   * Where readiness reads the migration state: a `@strata/db-migrate` migrator (anything
   * with `getStatus()`), or a function returning `{ state }`. Without it readiness checks
   * only that the database answers.
   */
  readonly migrationStatus?: MigrationStatusSource;
  /** Migration states readiness accepts. Default `['up_to_date', 'ahead']` (see docs). */
  readonly readyMigrationStates?: readonly string[];
}

/** A database attached to an Express app: what health routes and graceful shutdown use. */
export interface DbAttachment<DB> {
  readonly db: StrataDb<DB>;
  readonly migrationStatus: MigrationStatusSource | undefined;
  readonly readyMigrationStates: readonly string[];
  /** True from the moment shutdown begins: readiness fails from then on. */
  readonly shuttingDown: boolean;
  /** Flips readiness to failing. Called by `gracefulShutdown`; idempotent. */
  beginShutdown(): void;
  /** Closes the database pool (after checked-out connections are released). Idempotent. */
  close(): Promise<void>;
}

/**
 * Attaches a database to an Express app: `req.db` and `getDb(req)` return it (or the
 * scope's transaction inside `tenantScope()`), `currentDb()` finds it through
 * AsyncLocalStorage, health routes ping it and `gracefulShutdown` closes it. Call it before
 * registering routes: it adds the middleware that starts the request context.
 *
 * @example
 * const db = createDb<Database>({ connectionString: process.env.DATABASE_URL });
 * const app = express();
 * const database = attachDb(app, db, { migrationStatus: createMigrator({ db, source: './migrations' }) });
 * app.get('/users/:id', async (req, res) => res.json(await getOr404(req.db, 'users', req.params.id)));
 */
export function attachDb<DB>(app: Express, db: StrataDb<DB>, options: AttachDbOptions = {}): DbAttachment<DB> {
  let shuttingDown = false;
  const attachment: DbAttachment<DB> = {
    db,
    migrationStatus: options.migrationStatus,
    readyMigrationStates: options.readyMigrationStates ?? ['up_to_date', 'ahead'],
    get shuttingDown() {
      return shuttingDown;
    },
    beginShutdown() {
      shuttingDown = true;
    },
    close: () => db.close(),
  };
  setAttachment(app.request, attachment);
  // A getter on the app's request prototype: no per-request work, and sub-apps inherit it.
  Object.defineProperty(app.request, 'db', {
    configurable: true,
    enumerable: false,
    get(this: Request) {
      return getDb(this);
    },
  });
  app.use(function strataRequestContext(request: Request, _response: Response, next: NextFunction) {
    runInRequestContext(request, next);
  });
  return attachment;
}
