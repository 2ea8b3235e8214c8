import { z } from 'zod';
import { HttpError } from '@strata/express-db';

/** Text without control characters (PostgreSQL rejects NUL; the others are never wanted). */
export const plainText = (maximum: number) =>
  z
    .string()
    .trim()
    .max(maximum)
    // eslint-disable-next-line no-control-regex
    .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), 'must not contain control characters');

export const emailAddress = z.string().trim().max(254).pipe(z.email());
export const password = z.string().min(10, 'must be at least 10 characters').max(200);
export const identifier = z.uuid();

/**
 * Parses untrusted input with a zod schema; on failure, a 400 naming the first problem
 * (field and reason, never the submitted value).
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, `${field}${issue?.message ?? 'invalid input'}`);
}
