import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '@strata/express-db';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The CSRF token of a session: an HMAC of the session id under a server secret. It is bound
 * to the server-side session (no extra cookie to steal or fixate), changes with every new
 * session, and the page receives it from `GET /api/session`.
 */
export function csrfTokenFor(secret: Buffer, sessionId: string): string {
  return createHmac('sha256', secret).update(sessionId).digest('base64url');
}

function sameOrigin(request: Request): boolean {
  // Browsers send Sec-Fetch-Site on every request; cross-site writes are refused outright.
  const fetchSite = request.get('sec-fetch-site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
  const origin = request.get('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === request.get('host');
  } catch {
    return false;
  }
}

/**
 * CSRF protection for every write (POST, PUT, PATCH, DELETE):
 *
 * 1. the request must be same-origin (Sec-Fetch-Site / Origin), which also covers the
 *    unauthenticated writes (sign-in CSRF, reset requests);
 * 2. a JSON body is required (`Content-Type: application/json`): an HTML form cannot send
 *    one cross-site without a CORS preflight, which this app never grants;
 * 3. with a session, the `X-CSRF-Token` header must carry the session's token.
 */
export function csrfProtection(secret: Buffer) {
  return function requireSameOriginWrite(request: Request, _response: Response, next: NextFunction): void {
    if (safeMethods.has(request.method)) {
      next();
      return;
    }
    if (!sameOrigin(request)) {
      next(new HttpError(403, 'Cross-site request refused'));
      return;
    }
    const length = Number(request.get('content-length') ?? '0');
    if ((length > 0 || request.get('transfer-encoding')) && !request.is('application/json')) {
      next(new HttpError(415, 'Send JSON (Content-Type: application/json)'));
      return;
    }
    if (request.authSession) {
      const expected = Buffer.from(csrfTokenFor(secret, request.authSession.id));
      const given = Buffer.from(request.get('x-csrf-token') ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        next(new HttpError(403, 'Missing or invalid CSRF token'));
        return;
      }
    }
    next();
  };
}
