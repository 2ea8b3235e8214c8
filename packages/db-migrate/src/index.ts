export { createMigrator, type Migrator, type MigratorConfig } from './runner/migrator.js';
export { sync, type SyncConfig, type SyncResult } from './runner/database-sync.js';
export type { MigrationConnectionOptions } from './runner/connection-target.js';
export type { UpOptions, DriftPolicy } from './runner/up-run.js';
export type { DownOptions } from './runner/down-run.js';
export type { BaselineOptions } from './runner/baseline-run.js';
export type { MigrationOutcome, MigrationProgressEvent, MigrationRunResult } from './runner/migration-result.js';
export type { MigrationState, MigrationStatus } from './runner/migration-status.js';
export type { AppliedMigration } from './runner/bookkeeping-table.js';
export { fromDirectory } from './sources/directory-source.js';
export { fromDrizzleFolder } from './sources/drizzle-folder-source.js';
export { fromMigrations, type ProgrammaticMigration } from './sources/programmatic-source.js';
export { createMigrationFile, type CreateMigrationFileOptions } from './sources/migration-file-creator.js';
export type {
  FunctionMigrationStep,
  MigrationDefinition,
  MigrationFunction,
  MigrationSource,
  MigrationStep,
  PreparedMigration,
  SqlMigrationStep,
} from './sources/migration-definition.js';
export { MigrationError, type MigrationErrorDetails } from './errors/migration-error.js';
export { MigrationSourceError } from './errors/migration-source-error.js';
export { MigrationTargetError } from './errors/migration-target-error.js';
export { MigrationDriftError, type DriftedMigration } from './errors/migration-drift-error.js';
export { MigrationOrderError } from './errors/migration-order-error.js';
export { MigrationMissingError } from './errors/migration-missing-error.js';
export { MigrationLockTimeoutError } from './errors/migration-lock-timeout-error.js';
export { MigrationIrreversibleError } from './errors/migration-irreversible-error.js';
export { MigrationConnectionError } from './errors/migration-connection-error.js';
export { MigrationExecutionError, type MigrationExecutionDetails, type SqlErrorLocation } from './errors/migration-execution-error.js';
