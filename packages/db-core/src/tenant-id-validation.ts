import { InvalidTenantError } from './errors/tenant-errors.js';

/**
 * Checks a tenant id before any SQL is sent and returns the exact string to send. Throw
 * `InvalidTenantError` to refuse a value.
 */
export type TenantIdValidator = (tenantId: unknown) => string;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describeValue(value: unknown): string {
  // Never echo the value itself: it may be hostile or a secret pasted in the wrong place.
  if (typeof value === 'string') return `a string of length ${value.length}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The default validator: accepts a UUID string (any case) and returns it lower-cased.
 *
 * @example
 * uuidTenantId('3F2504E0-4F89-11D3-9A0C-0305E82C3301'); // '3f2504e0-4f89-11d3-9a0c-0305e82c3301'
 */
export const uuidTenantId: TenantIdValidator = (tenantId) => {
  if (typeof tenantId !== 'string' || !uuidPattern.test(tenantId)) {
    throw new InvalidTenantError(`Tenant id must be a UUID string, got ${describeValue(tenantId)}`, {
      code: 'STRATA_INVALID_TENANT',
    });
  }
  return tenantId.toLowerCase();
};

/**
 * A validator for integer tenant ids (a positive safe integer, or its decimal string).
 * Pair it with `columnType: 'bigint'` in the policy helpers.
 *
 * @example
 * withTenant(db, 42, fn, { validateTenantId: positiveIntegerTenantId });
 */
export const positiveIntegerTenantId: TenantIdValidator = (tenantId) => {
  const text = typeof tenantId === 'number' ? String(tenantId) : tenantId;
  if (typeof text !== 'string' || !/^[1-9][0-9]{0,18}$/.test(text) || BigInt(text) > 9_223_372_036_854_775_807n) {
    throw new InvalidTenantError(`Tenant id must be a positive integer, got ${describeValue(tenantId)}`, {
      code: 'STRATA_INVALID_TENANT',
    });
  }
  return text;
};

/**
 * Runs a validator and guarantees the result is a non-empty string without NUL bytes, so a
 * faulty custom validator cannot let an empty tenant (which would read as "no tenant")
 * through.
 */
export function validateTenantId(tenantId: unknown, validator: TenantIdValidator = uuidTenantId): string {
  let validated: unknown;
  try {
    validated = validator(tenantId);
  } catch (error) {
    if (error instanceof InvalidTenantError) throw error;
    throw new InvalidTenantError(`Tenant id rejected by the validator: ${describeValue(tenantId)}`, {
      code: 'STRATA_INVALID_TENANT',
      cause: error,
    });
  }
  if (typeof validated !== 'string' || validated === '' || validated.includes('\0')) {
    throw new InvalidTenantError('Tenant id validator must return a non-empty string', { code: 'STRATA_INVALID_TENANT' });
  }
  return validated;
}
