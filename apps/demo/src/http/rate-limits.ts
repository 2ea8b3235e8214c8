import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { HttpError } from '@strata/express-db';

/** Attempts allowed per client IP per window. */
export interface RateLimitSettings {
  readonly windowMillis: number;
  readonly signIn: number;
  readonly passwordReset: number;
}

export const defaultRateLimits: RateLimitSettings = { windowMillis: 15 * 60_000, signIn: 10, passwordReset: 5 };

function limiter(limit: number, windowMillis: number): RequestHandler {
  return rateLimit({
    windowMs: windowMillis,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Answer through the app's problem handler, like every other error.
    handler: (_request, _response, next) => {
      next(new HttpError(429, 'Too many attempts; try again later', { headers: { 'Retry-After': String(Math.ceil(windowMillis / 1000)) } }));
    },
  });
}

/** Rate limiters for sign-in and for the password reset routes (in-memory, per IP). */
export function createRateLimiters(settings: RateLimitSettings): { signIn: RequestHandler; passwordReset: RequestHandler } {
  return {
    signIn: limiter(settings.signIn, settings.windowMillis),
    passwordReset: limiter(settings.passwordReset, settings.windowMillis),
  };
}
