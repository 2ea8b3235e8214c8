import type { PingResult } from '@strata/db-core';

/** The part of a migration status readiness needs (db-migrate's `MigrationStatus` fits). */
export interface MigrationStatusSnapshot {
  readonly state: string;
  readonly pending?: readonly unknown[];
}

/**
 * Where readiness reads the migration state: a `@strata/db-migrate` migrator (or anything
 * with `getStatus()`), or a function. Typed structurally so express-db does not depend on
 * db-migrate.
 *
 * @example
 * const source: MigrationStatusSource = createMigrator({ db, source: './migrations' });
 */
export type MigrationStatusSource = { getStatus(): Promise<MigrationStatusSnapshot> } | (() => Promise<MigrationStatusSnapshot>);

/** One check of a readiness report. */
export interface ReadinessCheckResult {
  readonly ok: boolean;
  readonly latencyMillis: number;
  /** A short machine-readable reason when not ok (never a message that could leak secrets). */
  readonly reason?: string;
}

/** What `checkReadiness` found. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly shuttingDown: boolean;
  readonly checks: {
    readonly database: ReadinessCheckResult;
    readonly migrations?: ReadinessCheckResult & { readonly state?: string; readonly pending?: number };
  };
}

/** Inputs of `checkReadiness`. */
export interface ReadinessCheckInput {
  readonly db: { ping(options?: { timeoutMillis?: number }): Promise<PingResult> };
  readonly migrationStatus?: MigrationStatusSource | undefined;
  /** Default `['up_to_date', 'ahead']`. */
  readonly readyMigrationStates?: readonly string[];
  readonly shuttingDown?: boolean;
  /** Bound on each check. Default 2 000 ms. */
  readonly timeoutMillis?: number;
}

function readStatus(source: MigrationStatusSource): Promise<MigrationStatusSnapshot> {
  return typeof source === 'function' ? source() : source.getStatus();
}

async function withTimeout<T>(work: Promise<T>, timeoutMillis: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMillis);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkMigrations(
  source: MigrationStatusSource,
  readyStates: readonly string[],
  timeoutMillis: number,
): Promise<NonNullable<ReadinessReport['checks']['migrations']>> {
  const started = performance.now();
  try {
    const status = await withTimeout(readStatus(source), timeoutMillis);
    const latencyMillis = performance.now() - started;
    const ok = readyStates.includes(status.state);
    return {
      ok,
      latencyMillis,
      state: status.state,
      ...(status.pending ? { pending: status.pending.length } : {}),
      ...(ok ? {} : { reason: `migrations_${status.state}` }),
    };
  } catch (error) {
    const timedOut = (error as Error)?.message === 'timeout';
    return { ok: false, latencyMillis: performance.now() - started, reason: timedOut ? 'migration_status_timeout' : 'migration_status_unavailable' };
  }
}

/**
 * Checks whether the app should receive traffic: not shutting down, the database answers a
 * ping, and (when a migration source is given) the schema is migrated. Checks run
 * concurrently, each bounded by `timeoutMillis`; the function never throws.
 *
 * @example
 * const report = await checkReadiness({ db, migrationStatus: migrator });
 * if (!report.ready) console.warn(report.checks);
 */
export async function checkReadiness(input: ReadinessCheckInput): Promise<ReadinessReport> {
  const timeoutMillis = input.timeoutMillis ?? 2_000;
  const readyStates = input.readyMigrationStates ?? ['up_to_date', 'ahead'];
  const [ping, migrations] = await Promise.all([
    input.db.ping({ timeoutMillis }),
    input.migrationStatus ? checkMigrations(input.migrationStatus, readyStates, timeoutMillis) : Promise.resolve(undefined),
  ]);
  const database: ReadinessCheckResult = ping.ok
    ? { ok: true, latencyMillis: ping.latencyMillis }
    : { ok: false, latencyMillis: ping.latencyMillis, reason: `database_unreachable:${ping.error.code}` };
  const shuttingDown = input.shuttingDown ?? false;
  return {
    ready: !shuttingDown && database.ok && (migrations?.ok ?? true),
    shuttingDown,
    checks: { database, ...(migrations ? { migrations } : {}) },
  };
}
