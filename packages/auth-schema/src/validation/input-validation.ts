import { isIP } from 'node:net';
import { InvalidInputError } from '../errors/input-errors.js';

/*
 * Checks every adapter runs before any SQL, so bad input is a typed error and nothing is
 * written. Limits are generous for real data and small enough to keep junk out.
 */

/** Upper bounds of text fields, in characters. */
export const fieldLimits = {
  email: 254,
  name: 256,
  url: 2048,
  slug: 64,
  role: 64,
  purpose: 64,
  identifier: 320,
  userAgent: 1024,
  token: 1024,
  providerField: 512,
  providerToken: 16_384,
  description: 2048,
} as const;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Deliberately simple (local@domain.tld, no spaces, one @): the authoritative check is
// the verification email; this only keeps garbage out of the table.
const emailPattern = /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:]{2,}$/;
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/i;

/** Throws unless `value` is a UUID string; returns it lower-cased. */
export function requireUuid(field: string, value: unknown): string {
  if (typeof value !== 'string' || !uuidPattern.test(value)) {
    throw new InvalidInputError(field, `expected a UUID, got ${describe(value)}`);
  }
  return value.toLowerCase();
}

/** Like `requireUuid`, but lets null/undefined through. */
export function optionalUuid(field: string, value: unknown): string | null | undefined {
  return value === null || value === undefined ? value : requireUuid(field, value);
}

/** Throws unless `value` is a plausible email address of at most 254 characters. */
export function requireEmail(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new InvalidInputError(field, `expected an email address, got ${describe(value)}`);
  if (value.length > fieldLimits.email) throw new InvalidInputError(field, `longer than ${fieldLimits.email} characters`);
  if (!emailPattern.test(value)) throw new InvalidInputError(field, 'not an email address');
  return value;
}

/** Throws unless `value` is a non-empty string of at most `maximum` characters. */
export function requireText(field: string, value: unknown, maximum: number): string {
  if (typeof value !== 'string') throw new InvalidInputError(field, `expected a string, got ${describe(value)}`);
  if (value.length === 0) throw new InvalidInputError(field, 'must not be empty');
  if (value.length > maximum) throw new InvalidInputError(field, `longer than ${maximum} characters`);
  if (value.includes('\u0000')) throw new InvalidInputError(field, 'contains a NUL character');
  return value;
}

/** Like `requireText`, but lets null/undefined through. */
export function optionalText(field: string, value: unknown, maximum: number): string | null | undefined {
  return value === null || value === undefined ? value : requireText(field, value, maximum);
}

/** Throws unless `value` is a valid slug (letters, digits, single hyphens; at most 64). */
export function requireSlug(field: string, value: unknown): string {
  const slug = requireText(field, value, fieldLimits.slug);
  if (!slugPattern.test(slug)) throw new InvalidInputError(field, 'use letters, digits and single hyphens');
  return slug;
}

/** Throws unless `value` is a valid `Date`. */
export function requireDate(field: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidInputError(field, `expected a valid Date, got ${describe(value)}`);
  }
  return value;
}

/** Like `requireDate`, but lets null/undefined through. */
export function optionalDate(field: string, value: unknown): Date | null | undefined {
  return value === null || value === undefined ? value : requireDate(field, value);
}

/** Throws unless `value` is an IPv4 or IPv6 address; lets null/undefined through. */
export function optionalIpAddress(field: string, value: unknown): string | null | undefined {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'string' || isIP(value) === 0) throw new InvalidInputError(field, 'not an IP address');
  return value;
}

/** Throws unless `value` is a positive number of seconds, at most ten years. */
export function requireDurationSeconds(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 315_576_000) {
    throw new InvalidInputError(field, `expected a positive number of seconds, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is an array of at most 256 non-empty strings. */
export function optionalStringArray(field: string, value: unknown, maximumLength: number): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 256) throw new InvalidInputError(field, 'expected an array of at most 256 strings');
  return value.map((item, index) => requireText(`${field}[${index}]`, item, maximumLength));
}

/** Throws unless `value` is a plain object (or null/undefined), e.g. for values records. */
export function requireRecord(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(field, `expected an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A short, secret-free description of a bad value for error messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'an invalid Date';
  // Never echo the value itself: it might be a token or a password.
  return typeof value === 'string' ? `a string of ${value.length} characters` : `a ${typeof value}`;
}
