export { createDb, StrataDb, type CreateDbOptions, type PingResult, type PoolStats } from './create-db.js';
export { engineDefaults, type CreateDbConfig, type SessionSettingsMode } from './engine-config.js';
export { parseConnectionString, redactConnectionString, redactSecrets, type ConnectionStringInfo } from './connection-string.js';
export { isRetryableTransactionError, transaction, type TransactionOptions } from './transaction.js';
export { asPreparedStatement } from './prepared-statement.js';
export {
  defineTenancy,
  executeForTenant,
  tenantContextQuery,
  withTenant,
  type Tenancy,
  type TenancyOptions,
  type TenantContextMode,
  type TenantScopeOptions,
  type TenantStatementOptions,
} from './tenant-scope.js';
export { positiveIntegerTenantId, uuidTenantId, validateTenantId, type TenantIdValidator } from './tenant-id-validation.js';
export {
  applyTenantPolicy,
  tenantPolicySql,
  tenantPolicyStatements,
  tenantSettingExpression,
  type TenantColumnType,
  type TenantPolicyOptions,
} from './tenant-policy-sql.js';
export {
  checkTenantIsolation,
  type TenantIsolationCheckOptions,
  type TenantIsolationProblem,
  type TenantIsolationReport,
} from './tenant-isolation-check.js';
export { lintTenantKeys, type TenantKeyLintOptions, type TenantKeyLintReport, type TenantKeyProblem } from './tenant-key-lint.js';
export {
  getOrCreate,
  updateOrCreate,
  type GetOrCreateOptions,
  type GetOrCreateResult,
  type UpdateOrCreateOptions,
} from './get-or-create.js';
export { quoteIdentifier, validateSettingName } from './sql-identifier.js';
export { isReplicaSafeRead } from './read-only-query.js';
export { StrataError, type DatabaseErrorDetails } from './errors/strata-error.js';
export { CheckViolationError, ForeignKeyViolationError, NotNullViolationError, UniqueViolationError } from './errors/constraint-errors.js';
export {
  ConnectionError,
  DeadlockDetectedError,
  PoolTimeoutError,
  SerializationFailureError,
  StatementTimeoutError,
  TransactionRolledBackError,
} from './errors/transient-errors.js';
export { InvalidTenantError, RowLevelSecurityError } from './errors/tenant-errors.js';
export { ConfigurationError } from './errors/configuration-error.js';
export { isConnectionLost, toStrataError } from './errors/error-mapping.js';
export type { KyselyInstance } from './kysely-instance.js';
