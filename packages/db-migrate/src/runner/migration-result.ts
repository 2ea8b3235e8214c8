import type { MigrationError } from '../errors/migration-error.js';

/** What happened to one migration in a run. */
export interface MigrationOutcome {
  readonly name: string;
  readonly direction: 'up' | 'down';
  /**
   * `applied`/`reverted`: ran and committed. `baselined`: recorded as applied without running.
   * `restamped`: stored checksum replaced after drift was accepted. `failed`: ran and was rolled
   * back (or, without a transaction, stopped part-way). `planned`: a dry run's plan.
   */
  readonly status: 'applied' | 'reverted' | 'baselined' | 'restamped' | 'failed' | 'planned';
  readonly durationMillis: number;
  /** False when the step ran outside a transaction. */
  readonly transaction: boolean;
  /** The SQL that runs (dry runs of SQL steps only). */
  readonly sql?: string | undefined;
  readonly file?: string | undefined;
}

/**
 * The result of `up`, `down` or `baseline`. Runs never throw half-way: a failure is
 * reported here, with every migration that completed before it.
 */
export interface MigrationRunResult {
  readonly command: 'up' | 'down' | 'baseline';
  /** True when the run did everything it was asked to do. */
  readonly success: boolean;
  readonly dryRun: boolean;
  /** Migrations in the order they ran (or would run, for a dry run). */
  readonly migrations: readonly MigrationOutcome[];
  /** Why the run stopped, when `success` is false. */
  readonly error: MigrationError | undefined;
  /** How long the run waited for the migration lock. */
  readonly lockWaitMillis: number;
  readonly durationMillis: number;
}

/** Events emitted while a run progresses (the CLI prints them). */
export type MigrationProgressEvent =
  | { readonly type: 'lock_waiting'; readonly holderPid: number | undefined; readonly waitedMillis: number; readonly timeoutMillis: number }
  | { readonly type: 'lock_acquired'; readonly waitedMillis: number }
  | { readonly type: 'migration_started'; readonly name: string; readonly direction: 'up' | 'down' }
  | { readonly type: 'migration_finished'; readonly outcome: MigrationOutcome }
  | { readonly type: 'migration_failed'; readonly name: string; readonly direction: 'up' | 'down'; readonly error: MigrationError };
