/**
 * Packages that must never appear when a published package is installed alone, beyond
 * the generic rules (no sibling it does not declare, none of its optional peers). These
 * are the promises of docs/DESIGN: `@strata/db-core` depends on `pg` and `kysely` only.
 *
 * @example
 * forbiddenWhenInstalledAlone['@strata/db-core']; // ['express', 'drizzle-orm']
 */
export const forbiddenWhenInstalledAlone: Readonly<Record<string, readonly string[]>> = {
  '@strata/db-core': ['express', 'drizzle-orm', 'drizzle-kit'],
};
