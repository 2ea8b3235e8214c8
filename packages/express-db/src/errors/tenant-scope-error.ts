import { StrataError } from '@strata/db-core';

/**
 * The request-scoped database was used where there is none: outside a request, outside a
 * tenant scope where one is required, or after the scope's transaction has ended (its
 * connection is back in the pool, so the query must not run).
 *
 * @example
 * catch (error) { if (error instanceof TenantScopeError) console.error('query after the response started') }
 */
export class TenantScopeError extends StrataError {
  constructor(message: string) {
    super(message, { code: 'STRATA_TENANT_SCOPE' });
  }
}
