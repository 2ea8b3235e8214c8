import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { StrataDb } from '@strata/db-core';
import {
  attachDb,
  HttpError,
  livenessHandler,
  problemDetailsErrorHandler,
  readinessHandler,
  type DbAttachment,
  type MigrationStatusSource,
} from '@strata/express-db';
import { authenticate } from '../auth/authentication-middleware.js';
import { csrfProtection } from '../auth/csrf-protection.js';
import { defaultScryptParameters, type ScryptParameters } from '../auth/password-hasher.js';
import type { DemoDatabase } from '../database/demo-schema.js';
import { mapDemoError } from '../http/demo-error-mapping.js';
import { defaultRateLimits, type RateLimitSettings } from '../http/rate-limits.js';
import '../http/request-augmentation.js';
import type { Mailer } from '../mail/mail-outbox.js';
import { accountRoutes } from '../routes/account-routes.js';
import { organizationRoutes } from '../routes/organization-routes.js';
import { tenantRoutes } from '../routes/tenant-routes.js';
import { createDemoServices, type DemoServices } from './demo-services.js';

/** What the demo app needs; everything but `db`, `mailer` and `publicUrl` has a default. */
export interface DemoAppOptions {
  /** Connected as the app role (not owner, not superuser): RLS applies. */
  readonly db: StrataDb<DemoDatabase>;
  readonly mailer: Mailer;
  /** Base URL for links in mail, e.g. `http://127.0.0.1:3000`. */
  readonly publicUrl: string;
  /** Readiness reads the migration state from here (db-migrate's migrator). */
  readonly migrationStatus?: MigrationStatusSource;
  /** Key of the CSRF tokens. Default: random per process (sessions then need a new token after a restart). */
  readonly csrfSecret?: Buffer;
  /** Force the Secure flag on cookies (it is set anyway on HTTPS requests). */
  readonly secureCookies?: boolean;
  /** Lower only in tests: scrypt cost parameters. */
  readonly scrypt?: ScryptParameters;
  readonly rateLimits?: RateLimitSettings;
  /** Server-error log; default one line on stderr. */
  readonly onServerError?: (error: unknown) => void;
}

export interface DemoApp {
  readonly app: Express;
  readonly database: DbAttachment<DemoDatabase>;
  readonly services: DemoServices;
}

const publicDirectory = fileURLToPath(new URL('../../public/', import.meta.url));

/**
 * The demo's Express app (not listening): security headers, health routes, the static
 * page, the JSON API with cookie sessions and CSRF protection, organization routes inside a
 * tenant scope, and problem+json errors.
 */
export function createDemoApp(options: DemoAppOptions): DemoApp {
  const services = createDemoServices({
    db: options.db,
    mailer: options.mailer,
    publicUrl: options.publicUrl.replace(/\/+$/, ''),
    csrfSecret: options.csrfSecret ?? randomBytes(32),
    scrypt: options.scrypt ?? defaultScryptParameters,
    secureCookies: options.secureCookies ?? false,
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      // The page is served over plain HTTP on localhost: no upgrade of its own requests.
      contentSecurityPolicy: { useDefaults: true, directives: { upgradeInsecureRequests: null } },
    }),
  );
  const database = attachDb(app, options.db, options.migrationStatus ? { migrationStatus: options.migrationStatus } : {});
  app.get('/health/live', livenessHandler());
  app.get('/health/ready', readinessHandler());

  app.use('/api', express.json({ limit: '16kb', strict: true }), cookieParser(), authenticate(services), csrfProtection(services.csrfSecret));
  // The organization routes carry most of the traffic: first, so they skip the others' route matching.
  app.use('/api/organizations/:organizationId', tenantRoutes(services));
  app.use(accountRoutes(services, options.rateLimits ?? defaultRateLimits));
  app.use(organizationRoutes(services));
  app.use('/api', (_request, _response, next) => next(new HttpError(404, 'No such API route')));
  // After the API: a static lookup costs a file-system stat, which API requests must not pay.
  app.use(express.static(publicDirectory, { index: 'index.html', maxAge: 0 }));

  app.use(
    problemDetailsErrorHandler({
      mapError: mapDemoError,
      // A row of another organization is "not found", not "forbidden": its existence stays hidden.
      rowLevelSecurityStatus: 404,
      ...(options.onServerError ? { onServerError: (error: unknown) => options.onServerError!(error) } : {}),
    }),
  );
  return { app, database, services };
}
