import { MigrationError } from './migration-error.js';

/**
 * A rollback would have to revert a migration that has no down step. The rollback stops
 * before reverting anything rather than skipping it.
 *
 * @example
 * const result = await migrator.down({ steps: 2 });
 * if (result.error instanceof MigrationIrreversibleError) console.error(`${result.error.migration} has no down step`);
 */
export class MigrationIrreversibleError extends MigrationError {
  constructor(migration: string, file: string | undefined) {
    super(
      `Migration ${migration} has no down step, so the rollback stopped before reverting anything. ` +
        'Add a down step (a "-- strata:down" section, a sibling .down.sql file or an exported down function), or roll back less.',
      { code: 'STRATA_MIGRATION_IRREVERSIBLE', migration, file },
    );
  }
}
