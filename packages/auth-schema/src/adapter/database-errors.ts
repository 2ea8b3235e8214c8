/*
 * Recognises database errors whether they come raw from node-postgres or already mapped by
 * db-core (`UniqueViolationError` etc.): both carry the SQLSTATE in `code` and the
 * constraint name in `constraint`.
 */

interface DatabaseErrorLike {
  readonly code?: unknown;
  readonly constraint?: unknown;
}

function matches(error: unknown, sqlState: string, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as DatabaseErrorLike;
  if (candidate.code !== sqlState) return false;
  return constraint === undefined || candidate.constraint === constraint;
}

/** A unique violation (23505), optionally of one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return matches(error, '23505', constraint);
}

/** A foreign-key violation (23503), optionally of one named constraint. */
export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  return matches(error, '23503', constraint);
}

/** An undefined column (42703): the table changed since its columns were read. */
export function isUndefinedColumn(error: unknown): boolean {
  return matches(error, '42703');
}

/** "cached plan must not change result type" (0A000): a prepared statement outlived a column type change. */
export function isCachedPlanChanged(error: unknown): boolean {
  return matches(error, '0A000');
}
