import { MigrationIrreversibleError } from '../errors/migration-irreversible-error.js';
import { MigrationMissingError } from '../errors/migration-missing-error.js';
import { MigrationTargetError } from '../errors/migration-target-error.js';
import type { PreparedMigration } from '../sources/migration-definition.js';
import type { AppliedMigration } from './bookkeeping-table.js';
import type { RunContext, RunDefinition } from './migration-run.js';
import { checkDrift, describeStep, executePlan, type DriftPolicy } from './up-run.js';

/** Options of `migrator.down()`: give `steps` or `to` (default: one step). */
export interface DownOptions {
  /** Revert this many of the most recently applied migrations. */
  readonly steps?: number | undefined;
  /** Revert every migration applied after this one; it stays applied. */
  readonly to?: string | undefined;
  readonly dryRun?: boolean | undefined;
  /** As for `up`, but only migrations about to be reverted are checked. */
  readonly drift?: DriftPolicy | undefined;
}

function rowsToRevert(applied: readonly AppliedMigration[], options: DownOptions): AppliedMigration[] {
  const newestFirst = [...applied].reverse();
  if (options.to === undefined) return newestFirst.slice(0, options.steps ?? 1);
  const targetIndex = newestFirst.findIndex((row) => row.name === options.to);
  if (targetIndex === -1) throw new MigrationTargetError(`Migration ${options.to} is not applied, so down cannot stop at it.`, { migration: options.to });
  return newestFirst.slice(0, targetIndex);
}

/**
 * Resolves every migration to revert before reverting any: a missing file or a migration
 * without a down step stops the rollback up front instead of after half of it.
 */
function planDown(context: RunContext, options: DownOptions): PreparedMigration[] {
  return rowsToRevert(context.analysis.applied, options).map((row) => {
    const migration = context.prepared.get(row.name);
    if (!migration) throw new MigrationMissingError([row.name], `Cannot revert ${row.name}: the migration source does not have it anymore.`);
    if (!migration.down) throw new MigrationIrreversibleError(migration.name, migration.file);
    return migration;
  });
}

/** `down`: revert by steps or to a named migration, newest first, each in its own transaction. */
export function downRun(options: DownOptions): RunDefinition {
  return {
    command: 'down',
    dryRun: options.dryRun === true,
    needsPreparedSteps: true,
    validate(known) {
      if (options.steps !== undefined && options.to !== undefined) throw new MigrationTargetError('Give either steps or to for down, not both.');
      if (options.steps !== undefined && (!Number.isInteger(options.steps) || options.steps < 1)) {
        throw new MigrationTargetError(`steps must be a positive integer, got ${String(options.steps)}.`);
      }
      if (options.to !== undefined && !known.some((definition) => definition.name === options.to)) {
        throw new MigrationTargetError(`No migration named ${options.to} (down --to).`, { migration: options.to });
      }
    },
    async execute(context) {
      const plan = planDown(context, options);
      checkDrift(context, options.drift ?? 'error', new Set(plan.map((migration) => migration.name)));
      if (context.dryRun) {
        for (const migration of plan) {
          context.record({ name: migration.name, direction: 'down', status: 'planned', durationMillis: 0, file: migration.file, ...describeStep(migration.down!) });
        }
        return;
      }
      await executePlan(context, plan, 'down');
    },
  };
}
