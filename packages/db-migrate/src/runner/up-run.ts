import { MigrationDriftError } from '../errors/migration-drift-error.js';
import { MigrationMissingError } from '../errors/migration-missing-error.js';
import { MigrationOrderError } from '../errors/migration-order-error.js';
import { MigrationTargetError } from '../errors/migration-target-error.js';
import type { MigrationDefinition, MigrationStep, PreparedMigration } from '../sources/migration-definition.js';
import { restampStatement } from './bookkeeping-table.js';
import { executeStep } from './migration-executor.js';
import type { MigrationOutcome } from './migration-result.js';
import { asMigrationError, type RunContext, type RunDefinition } from './migration-run.js';
import { runTransactionScript } from './transaction-script.js';

/** What to do about applied migrations whose content changed. */
export type DriftPolicy = 'error' | 'accept' | 'restamp';

/** Options of `migrator.up()`. */
export interface UpOptions {
  /** Apply pending migrations up to and including this one (default: all). */
  readonly to?: string | undefined;
  /** Report the plan (and SQL) without taking the lock or changing anything. */
  readonly dryRun?: boolean | undefined;
  /** Apply pending migrations that sort before the last applied one instead of stopping. */
  readonly allowOutOfOrder?: boolean | undefined;
  /** Go on although the database has applied migrations the source does not list. */
  readonly allowMissing?: boolean | undefined;
  /**
   * Edited applied migrations: `error` (default) refuses to run, `accept` runs anyway and
   * keeps reporting the drift, `restamp` stores the new checksums (in one transaction) and runs.
   */
  readonly drift?: DriftPolicy | undefined;
}

export function describeStep(step: MigrationStep): Pick<MigrationOutcome, 'transaction' | 'sql'> {
  return { transaction: step.transaction, sql: step.kind === 'sql' ? step.sql : undefined };
}

/** Runs steps in order; the last commit of the run is synchronous (see `StepExecution`). */
export async function executePlan(context: RunContext, plan: readonly PreparedMigration[], direction: 'up' | 'down'): Promise<void> {
  let lastAsynchronous: string | undefined;
  for (const [index, migration] of plan.entries()) {
    const step = direction === 'up' ? migration.up : migration.down!;
    // Only up runs commit asynchronously: after a failure, the flush below re-touches the
    // bookkeeping row of the last applied migration, which a down run has just deleted.
    const synchronousCommit = direction === 'down' || index === plan.length - 1;
    context.emit({ type: 'migration_started', name: migration.name, direction });
    try {
      const durationMillis = await executeStep({ client: context.client, table: context.table, migration, direction, step, synchronousCommit });
      if (!synchronousCommit && step.transaction) lastAsynchronous = migration.name;
      else lastAsynchronous = undefined;
      context.record({ name: migration.name, direction, status: direction === 'up' ? 'applied' : 'reverted', durationMillis, transaction: step.transaction, file: migration.file });
    } catch (error) {
      if (lastAsynchronous) await flushCommittedWork(context, lastAsynchronous);
      context.record({ name: migration.name, direction, status: 'failed', durationMillis: 0, transaction: step.transaction, file: migration.file });
      context.emit({ type: 'migration_failed', name: migration.name, direction, error: asMigrationError(error) });
      throw error;
    }
  }
}

/**
 * Makes the run's asynchronous commits durable before reporting a failure: a synchronous
 * commit that writes WAL flushes everything before it.
 */
async function flushCommittedWork(context: RunContext, lastApplied: string): Promise<void> {
  await context.client
    .query(`update ${context.table.qualifiedName} set applied_at = applied_at where name = $1`, [lastApplied])
    .catch(() => undefined);
}

function checkDrift(context: RunContext, policy: DriftPolicy, names?: ReadonlySet<string>): void {
  const drifted = context.analysis.drifted.filter((entry) => !names || names.has(entry.name));
  if (drifted.length > 0 && policy === 'error') throw new MigrationDriftError(drifted);
}

async function restamp(context: RunContext): Promise<void> {
  const { drifted } = context.analysis;
  if (drifted.length === 0 || context.dryRun) return;
  const started = performance.now();
  await runTransactionScript(
    context.client,
    drifted.map((entry) => restampStatement(context.table, entry.name, entry.currentChecksum)),
  );
  const durationMillis = performance.now() - started;
  for (const entry of drifted) context.record({ name: entry.name, direction: 'up', status: 'restamped', durationMillis, transaction: true });
}

function planUp(context: RunContext, options: UpOptions): PreparedMigration[] {
  const { analysis } = context;
  if (analysis.missing.length > 0 && !options.allowMissing) throw new MigrationMissingError(analysis.missing.map((row) => row.name));
  let pending: readonly MigrationDefinition[] = analysis.pending;
  if (options.to !== undefined) {
    const targetIndex = analysis.known.findIndex((definition) => definition.name === options.to);
    const positions = new Map(analysis.known.map((definition, index) => [definition.name, index]));
    pending = pending.filter((definition) => positions.get(definition.name)! <= targetIndex);
  }
  const planned = new Set(pending.map((definition) => definition.name));
  const outOfOrder = analysis.outOfOrder.filter((definition) => planned.has(definition.name));
  if (outOfOrder.length > 0 && !options.allowOutOfOrder) {
    throw new MigrationOrderError(
      outOfOrder.map((definition) => definition.name),
      analysis.lastApplied!,
    );
  }
  return pending.map((definition) => context.prepared.get(definition.name)!);
}

/** `up`: refuse drift, unknown applied migrations and out-of-order files unless allowed, then apply. */
export function upRun(options: UpOptions): RunDefinition {
  const policy = options.drift ?? 'error';
  return {
    command: 'up',
    dryRun: options.dryRun === true,
    needsPreparedSteps: true,
    validate(known) {
      if (!['error', 'accept', 'restamp'].includes(policy)) throw new MigrationTargetError(`drift must be 'error', 'accept' or 'restamp', got ${String(policy)}`);
      if (options.to !== undefined && !known.some((definition) => definition.name === options.to)) {
        throw new MigrationTargetError(`No migration named ${options.to} (up --to).`, { migration: options.to });
      }
    },
    async execute(context) {
      checkDrift(context, policy);
      const plan = planUp(context, options);
      if (policy === 'restamp') await restamp(context);
      if (context.dryRun) {
        for (const migration of plan) {
          context.record({ name: migration.name, direction: 'up', status: 'planned', durationMillis: 0, file: migration.file, ...describeStep(migration.up) });
        }
        return;
      }
      await executePlan(context, plan, 'up');
    },
  };
}

export { checkDrift };
