import { Router, type Request, type Response } from 'express';
import { transaction } from '@strata/db-core';
import { HttpError } from '@strata/express-db';
import { z } from 'zod';
import type { DemoServices } from '../app/demo-services.js';
import { requireUser } from '../auth/authentication-middleware.js';
import { csrfTokenFor } from '../auth/csrf-protection.js';
import { hashPassword, verifyPassword } from '../auth/password-hasher.js';
import { clearSessionCookie, sessionCookieName, sessionCookieOptions } from '../auth/session-cookie.js';
import type { RateLimitSettings } from '../http/rate-limits.js';
import { createRateLimiters } from '../http/rate-limits.js';
import { toCurrentUser } from '../http/request-augmentation.js';
import { emailAddress, parseInput, password, plainText } from '../http/request-validation.js';

const signUpInput = z.object({ email: emailAddress, password, name: plainText(100).optional() });
const signInInput = z.object({ email: emailAddress, password: z.string().min(1).max(200) });
const resetRequestInput = z.object({ email: emailAddress });
const resetConfirmInput = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/, 'malformed token'), password });

async function startSession(services: DemoServices, request: Request, response: Response, userId: string): Promise<void> {
  const { token } = await services.auth.createSession({
    user_id: userId,
    ip_address: request.ip ?? null,
    user_agent: request.get('user-agent')?.slice(0, 300) ?? null,
  });
  response.cookie(sessionCookieName, token, sessionCookieOptions(request, services.secureCookies, services.sessionMaxAgeMillis));
}

async function sendVerificationMail(services: DemoServices, user: { id: string; email: string }): Promise<void> {
  const { token } = await services.auth.createVerificationToken(
    { purpose: 'email_verification', identifier: user.email, user_id: user.id },
    { expiresInSeconds: 86_400, replacePrevious: true },
  );
  const link = `${services.publicUrl}/verify-email?token=${token}`;
  await services.mailer.send({ to: user.email, subject: 'Verify your email', text: 'Open the link to verify your email address.', link });
}

/**
 * Sign-up, sign-in, sign-out, the current session, email verification and password reset.
 * Passwords are hashed with scrypt; sessions are auth-schema sessions (only the token's
 * hash is stored) carried in an HttpOnly, SameSite=Lax cookie.
 */
export function accountRoutes(services: DemoServices, rateLimits: RateLimitSettings): Router {
  const router = Router();
  const limiters = createRateLimiters(rateLimits);

  router.post('/api/sign-up', async (request, response) => {
    const input = parseInput(signUpInput, request.body);
    const passwordHash = await hashPassword(input.password, services.scrypt);
    const user = await services.auth.createUser({ email: input.email, name: input.name ?? null, password_hash: passwordHash });
    await startSession(services, request, response, user.id);
    await sendVerificationMail(services, user);
    response.status(201).json({ user: toCurrentUser(user) });
  });

  router.post('/api/sign-in', limiters.signIn, async (request, response) => {
    const input = parseInput(signInInput, request.body);
    const user = await services.auth.getUserByEmail(input.email);
    // verifyPassword hashes even without a user, so timing does not reveal accounts.
    if (!(await verifyPassword(input.password, user?.password_hash, services.scrypt)) || !user) {
      throw new HttpError(401, 'Invalid email or password');
    }
    await startSession(services, request, response, user.id);
    response.json({ user: toCurrentUser(user) });
  });

  router.post('/api/sign-out', async (request, response) => {
    if (request.authSession) await services.auth.revokeSessionById(request.authSession.id);
    clearSessionCookie(request, response, services.secureCookies);
    response.status(204).end();
  });

  router.get('/api/session', (request, response) => {
    const user = requireUser(request);
    response.set('Cache-Control', 'no-store').json({ user, csrfToken: csrfTokenFor(services.csrfSecret, request.authSession!.id) });
  });

  router.post('/api/email-verification', async (request, response) => {
    const user = requireUser(request);
    if (!user.emailVerified) await sendVerificationMail(services, user);
    response.status(202).json({ sent: !user.emailVerified });
  });

  // The link from the verification mail. A GET with an effect, as mail links must be; the
  // token is single-use (consumed atomically) and bound to the address it was sent to.
  router.get('/verify-email', async (request, response) => {
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    const record = /^[A-Za-z0-9_-]{20,200}$/.test(token)
      ? await services.auth.consumeVerificationToken({ token, purpose: 'email_verification' })
      : null;
    const user = record?.user_id ? await services.auth.getUserById(record.user_id) : null;
    if (!record || !user || user.email.toLowerCase() !== record.identifier.toLowerCase()) {
      response.redirect(303, '/?notice=verification-failed');
      return;
    }
    await services.auth.updateUser(user.id, { email_verified_at: new Date() });
    response.redirect(303, '/?notice=email-verified');
  });

  router.post('/api/password-reset/request', limiters.passwordReset, async (request, response) => {
    const input = parseInput(resetRequestInput, request.body);
    const user = await services.auth.getUserByEmail(input.email);
    if (user) {
      const { token } = await services.auth.createVerificationToken(
        { purpose: 'password_reset', identifier: user.email, user_id: user.id },
        { expiresInSeconds: 30 * 60, replacePrevious: true },
      );
      const link = `${services.publicUrl}/?reset=${token}`;
      await services.mailer.send({ to: user.email, subject: 'Reset your password', text: 'Open the link to choose a new password (valid 30 minutes).', link });
    }
    // The same answer whether or not the address has an account.
    response.status(202).json({ sent: true });
  });

  router.post('/api/password-reset/confirm', limiters.passwordReset, async (request, response) => {
    const input = parseInput(resetConfirmInput, request.body);
    const passwordHash = await hashPassword(input.password, services.scrypt);
    const changed = await transaction(services.db, async (trx) => {
      const auth = services.auth.withDatabase(trx);
      const record = await auth.consumeVerificationToken({ token: input.token, purpose: 'password_reset' });
      if (!record?.user_id) return false;
      await auth.updateUser(record.user_id, { password_hash: passwordHash });
      // Every session of the account ends: whoever knew the old password is signed out.
      await auth.revokeAllSessions(record.user_id);
      return true;
    });
    if (!changed) throw new HttpError(400, 'This reset link is invalid or has expired');
    clearSessionCookie(request, response, services.secureCookies);
    response.status(204).end();
  });

  return router;
}
