import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { redactSecrets } from '@strata/db-core';
import { TenantScopeError } from './errors/tenant-scope-error.js';
import { toProblemResponse, type ProblemMappingOptions } from './problem-details.js';

/** Options of `problemDetailsErrorHandler`. */
export interface ProblemErrorHandlerOptions extends ProblemMappingOptions {
  /**
   * Called for every error that becomes a 5xx, to log it. Default: one line on stderr with
   * the route pattern and the redacted error (never the URL, which may hold a token).
   * Pass `() => {}` to silence it.
   */
  readonly onServerError?: (error: unknown, request: Request) => void;
}

function routeDescription(request: Request): string {
  const routePath = (request.route as { path?: unknown } | undefined)?.path;
  return `${request.method} ${request.baseUrl}${typeof routePath === 'string' ? routePath : ''}`;
}

function defaultServerErrorLog(error: unknown, request: Request): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `\n  caused by: ${error.cause.message}` : '';
  console.error(`[strata] ${routeDescription(request)} failed: ${redactSecrets(text)}${redactSecrets(cause)}`);
}

/**
 * Express error handler that answers with `application/problem+json` (see
 * `toProblemResponse` for the status of each error). Register it after your routes. When
 * the response has already started, it hands the error to Express, which closes the
 * connection.
 *
 * @example
 * app.use(problemDetailsErrorHandler({ rowLevelSecurityStatus: 404 }));
 */
export function problemDetailsErrorHandler(options: ProblemErrorHandlerOptions = {}): ErrorRequestHandler {
  const onServerError = options.onServerError ?? defaultServerErrorLog;
  return function strataProblemDetails(error: unknown, request: Request, response: Response, next: NextFunction) {
    if (response.headersSent) {
      next(error);
      return;
    }
    const problem = toProblemResponse(error, options);
    // A query refused because the client went away is the expected end of an aborted
    // request, not a server fault worth a log line.
    const abortedRequestNoise = response.destroyed && error instanceof TenantScopeError;
    if (problem.status >= 500 && !abortedRequestNoise) {
      try {
        onServerError(error, request);
      } catch {
        // A failing logger must not turn an error response into a hung request.
      }
    }
    if (response.destroyed) return;
    response.status(problem.status);
    response.set({ ...problem.headers, 'Cache-Control': 'no-store', 'Content-Type': 'application/problem+json; charset=utf-8' });
    response.send(JSON.stringify(problem.body));
  };
}
