import type { CookieOptions, Request, Response } from 'express';

export const sessionCookieName = 'strata_demo_session';

/** Cookie flags: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS (or when forced). */
export function sessionCookieOptions(request: Request, secureCookies: boolean, maxAgeMillis: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies || request.secure,
    path: '/',
    maxAge: maxAgeMillis,
  };
}

export function readSessionToken(request: Request): string | undefined {
  const value = (request.cookies as Record<string, unknown> | undefined)?.[sessionCookieName];
  // A session token is 43 base64url characters; anything else is not worth a query.
  return typeof value === 'string' && /^[A-Za-z0-9_-]{20,200}$/.test(value) ? value : undefined;
}

export function clearSessionCookie(request: Request, response: Response, secureCookies: boolean): void {
  const { maxAge: _ignored, ...options } = sessionCookieOptions(request, secureCookies, 0);
  response.clearCookie(sessionCookieName, options);
}
