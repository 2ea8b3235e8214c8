/** Fields PostgreSQL reports with an error, copied onto Strata errors when present. */
export interface DatabaseErrorDetails {
  /** The five-character SQLSTATE, e.g. `23505`. */
  readonly code?: string | undefined;
  readonly constraint?: string | undefined;
  readonly table?: string | undefined;
  readonly schema?: string | undefined;
  readonly column?: string | undefined;
  readonly detail?: string | undefined;
}

/**
 * Brand carried by every Strata error: the names of its class chain. `instanceof` checks
 * it instead of the prototype, so an error still matches when two copies of a package are
 * loaded (the ESM and CJS builds, or an entry point bundled separately).
 */
const brandKey = Symbol.for('@strata/error-brands');

function classChain(constructor: Function): string[] {
  const names: string[] = [];
  for (let current: unknown = constructor; typeof current === 'function' && current !== Error; current = Object.getPrototypeOf(current)) {
    names.push((current as Function).name);
  }
  return names;
}

/**
 * Base class of every error thrown by Strata packages. Catch this to handle anything Strata
 * raises; check a subclass to handle one case.
 *
 * @example
 * try {
 *   await db.insertInto('users').values(user).execute();
 * } catch (error) {
 *   if (error instanceof StrataError) console.error(error.code, error.message);
 * }
 */
export class StrataError extends Error {
  /** SQLSTATE when the error comes from PostgreSQL, otherwise a `STRATA_*` code. */
  readonly code: string;
  readonly constraint: string | undefined;
  readonly table: string | undefined;
  readonly schema: string | undefined;
  readonly column: string | undefined;
  readonly detail: string | undefined;

  constructor(message: string, options: DatabaseErrorDetails & { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'STRATA_ERROR';
    this.constraint = options.constraint;
    this.table = options.table;
    this.schema = options.schema;
    this.column = options.column;
    this.detail = options.detail;
    Object.defineProperty(this, brandKey, { value: classChain(new.target), enumerable: false });
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    const brands = (instance as Record<symbol, unknown> | null | undefined)?.[brandKey];
    return Array.isArray(brands) && brands.includes(this.name);
  }
}
