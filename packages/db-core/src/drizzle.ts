/**
 * `@strata/db-core/drizzle`: the same tenant scope and policy helpers for Drizzle users.
 * drizzle-orm is an optional peer dependency; only this entry point imports it.
 */
export { tenantScopeForDrizzle as withTenant, type DrizzleTenantScopeOptions } from './drizzle-tenant-scope.js';
export { tenantIsolationPolicy, forceRowLevelSecuritySql, type DrizzleTenantPolicyOptions } from './drizzle-tenant-policy.js';
export { InvalidTenantError } from './errors/tenant-errors.js';
export { uuidTenantId, positiveIntegerTenantId, type TenantIdValidator } from './tenant-id-validation.js';
