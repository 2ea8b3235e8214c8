import { MigrationTargetError } from '../errors/migration-target-error.js';
import { insertStatement } from './bookkeeping-table.js';
import type { RunDefinition } from './migration-run.js';
import { runTransactionScript } from './transaction-script.js';

/** Options of `migrator.baseline()`. */
export interface BaselineOptions {
  readonly dryRun?: boolean | undefined;
}

/**
 * `baseline NAME`: records every migration up to and including NAME as applied without
 * running it (for adopting a database whose schema already exists), in one transaction.
 * Already applied migrations are left as they are.
 */
export function baselineRun(name: string, options: BaselineOptions): RunDefinition {
  return {
    command: 'baseline',
    dryRun: options.dryRun === true,
    needsPreparedSteps: false,
    validate(known) {
      if (typeof name !== 'string' || !known.some((definition) => definition.name === name)) {
        throw new MigrationTargetError(`No migration named ${String(name)} to baseline to.`, { migration: String(name) });
      }
    },
    async execute(context) {
      const { known } = context.analysis;
      const targetIndex = known.findIndex((definition) => definition.name === name);
      const applied = new Set(context.analysis.applied.map((row) => row.name));
      const toStamp = known.slice(0, targetIndex + 1).filter((definition) => !applied.has(definition.name));
      const started = performance.now();
      if (!context.dryRun && toStamp.length > 0) {
        await runTransactionScript(
          context.client,
          toStamp.map((definition) => insertStatement(context.table, definition.name, definition.checksum, 'baseline', 0)),
        );
      }
      const durationMillis = performance.now() - started;
      for (const definition of toStamp) {
        context.record({
          name: definition.name,
          direction: 'up',
          status: context.dryRun ? 'planned' : 'baselined',
          durationMillis,
          transaction: true,
          file: definition.file,
        });
      }
    },
  };
}
