import { createHash, randomBytes } from 'node:crypto';
import { InvalidInputError } from '../errors/input-errors.js';
import { fieldLimits } from '../validation/input-validation.js';

/**
 * A new random token: 32 bytes from the OS CSPRNG (256 bits of entropy), base64url-encoded
 * (43 characters, safe in URLs and cookies). It is returned to the caller once and never
 * stored: only `hashToken(token)` goes into the database.
 *
 * @example
 * const token = generateToken(); // 'Qm9...' (43 characters)
 */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The SHA-256 of a token, as stored in `token_hash` / `state_hash` and used for lookups. A
 * plain hash (no salt, no slow KDF) is right here: the tokens carry 256 random bits, so
 * nothing can be guessed from the hash, and lookups must be one indexed equality.
 *
 * @example
 * await db.selectFrom('sessions').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Validates a token handed in by a caller (cookie, link) before hashing it. */
export function requireToken(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidInputError(field, 'expected a non-empty string');
  if (value.length > fieldLimits.token) throw new InvalidInputError(field, `longer than ${fieldLimits.token} characters`);
  return value;
}
