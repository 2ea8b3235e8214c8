import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { StrataDb } from '@strata/db-core';
import { findAttachment } from './request-context.js';
import { checkReadiness, type MigrationStatusSource, type ReadinessReport } from './readiness-check.js';
import { TenantScopeError } from './errors/tenant-scope-error.js';

/** Options of `readinessHandler`. Everything defaults to the app's `attachDb` settings. */
export interface ReadinessHandlerOptions {
  readonly db?: StrataDb<any>;
  readonly migrationStatus?: MigrationStatusSource;
  readonly readyMigrationStates?: readonly string[];
  /** Bound on each check. Default 2 000 ms. */
  readonly timeoutMillis?: number;
}

function sendHealth(response: Response, status: number, body: unknown): void {
  response.status(status).set('Cache-Control', 'no-store').json(body);
}

/**
 * Liveness: answers 200 while the process can serve HTTP at all. It deliberately does not
 * touch the database (a database outage must not make the orchestrator restart every
 * replica) and stays 200 during graceful shutdown (so the process is not killed mid-drain).
 *
 * @example
 * app.get('/health/live', livenessHandler());
 */
export function livenessHandler(): RequestHandler {
  return function liveness(_request: Request, response: Response) {
    sendHealth(response, 200, { status: 'ok' });
  };
}

/**
 * Readiness: 200 when the app should receive traffic, 503 otherwise: while shutting down
 * (at once, without touching the database), while the database does not answer, or while
 * migrations are pending / drifted / missing (db-migrate's `getStatus()`, one round trip).
 * The body lists each check with a short reason; it never contains error messages.
 *
 * @example
 * attachDb(app, db, { migrationStatus: migrator });
 * app.get('/health/ready', readinessHandler());
 */
export function readinessHandler(options: ReadinessHandlerOptions = {}): RequestHandler {
  return async function readiness(request: Request, response: Response, next: NextFunction) {
    const attachment = findAttachment(request);
    const db = options.db ?? attachment?.db;
    if (!db) {
      next(new TenantScopeError('readinessHandler() needs attachDb(app, db) or { db }'));
      return;
    }
    if (attachment?.shuttingDown) {
      response.set('Connection', 'close');
      sendHealth(response, 503, { status: 'not_ready', shuttingDown: true, checks: {} });
      return;
    }
    const report: ReadinessReport = await checkReadiness({
      db,
      migrationStatus: options.migrationStatus ?? attachment?.migrationStatus,
      readyMigrationStates: options.readyMigrationStates ?? attachment?.readyMigrationStates,
      shuttingDown: attachment?.shuttingDown ?? false,
      ...(options.timeoutMillis === undefined ? {} : { timeoutMillis: options.timeoutMillis }),
    });
    sendHealth(response, report.ready ? 200 : 503, {
      status: report.ready ? 'ready' : 'not_ready',
      shuttingDown: report.shuttingDown,
      checks: report.checks,
    });
  };
}
