import { StrataError } from './strata-error.js';

/**
 * A row-level security policy refused a write, or the role lacks a privilege
 * (SQLSTATE 42501, `insufficient_privilege`). Under tenant policies this is what a write
 * into another tenant, or a write with no tenant set, produces.
 *
 * @example
 * catch (error) { if (error instanceof RowLevelSecurityError) res.status(403) }
 */
export class RowLevelSecurityError extends StrataError {}

/**
 * A tenant id was rejected before any SQL was sent (wrong type, empty, not a UUID, or
 * refused by a custom validator). The message never echoes more than a short, sanitized
 * preview of the value.
 *
 * @example
 * await withTenant(db, 'not-a-uuid', fn); // throws InvalidTenantError, nothing sent
 */
export class InvalidTenantError extends StrataError {}
