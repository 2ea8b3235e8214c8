export type { DatabaseRegistry, RegisteredDatabase } from './database-registry.js';
export { attachDb, type AttachDbOptions, type DbAttachment } from './database-attachment.js';
export {
  currentDb,
  currentRequest,
  currentTenantId,
  endRequestScope,
  getDb,
  getTenantId,
} from './request-context.js';
export {
  tenantScope,
  type RequestScopeOptions,
  type ScopeTransactionOptions,
  type TenantScopeMiddlewareOptions,
} from './tenant-scope-middleware.js';
export { transactionScope } from './transaction-scope-middleware.js';
export { commitUnlessErrorStatus, type CommitDecision } from './request-scope-runner.js';
export { firstOr404, getOr404, type FirstRowSource, type GetOr404Options } from './not-found-helpers.js';
export { toProblemResponse, type ProblemDetails, type ProblemMappingOptions, type ProblemResponse } from './problem-details.js';
export { problemDetailsErrorHandler, type ProblemErrorHandlerOptions } from './problem-error-handler.js';
export {
  checkReadiness,
  type MigrationStatusSnapshot,
  type MigrationStatusSource,
  type ReadinessCheckInput,
  type ReadinessCheckResult,
  type ReadinessReport,
} from './readiness-check.js';
export { livenessHandler, readinessHandler, type ReadinessHandlerOptions } from './health-handlers.js';
export {
  gracefulShutdown,
  type GracefulShutdownOptions,
  type ShutdownController,
  type ShutdownOutcome,
  type ShutdownTarget,
  type SignalSource,
} from './graceful-shutdown.js';
export { HttpError, NotFoundError, type HttpErrorOptions } from './errors/http-error.js';
export { TenantScopeError } from './errors/tenant-scope-error.js';
export { CommitFailedError } from './errors/commit-failed-error.js';
