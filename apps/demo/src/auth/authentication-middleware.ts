import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '@strata/express-db';
import type { DemoServices } from '../app/demo-services.js';
import { toCurrentUser } from '../http/request-augmentation.js';
import { readSessionToken } from './session-cookie.js';

/**
 * Resolves the session cookie to the session and its user in one round trip (auth-schema
 * stores only the token's SHA-256). An unknown or expired token is simply "signed out".
 */
export function authenticate(services: DemoServices) {
  return async function authenticateSession(request: Request, _response: Response, next: NextFunction): Promise<void> {
    const token = readSessionToken(request);
    if (token) {
      const resolved = await services.auth.getSessionAndUser(token);
      if (resolved) {
        request.authSession = resolved.session;
        request.currentUser = toCurrentUser(resolved.user);
      }
    }
    next();
  };
}

/** The signed-in user, or a 401. */
export function requireUser(request: Request): NonNullable<Request['currentUser']> {
  if (!request.currentUser) throw new HttpError(401, 'Sign in first', { headers: { 'WWW-Authenticate': 'Cookie realm="strata-demo"' } });
  return request.currentUser;
}

/** The caller's role in the route's organization must be one of `roles`, else a 403. */
export function requireRole(request: Request, roles: readonly string[]): void {
  if (!request.membership || !roles.includes(request.membership.role)) {
    throw new HttpError(403, `Only ${roles.join(' or ')} members can do this`);
  }
}
