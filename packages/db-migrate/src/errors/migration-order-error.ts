import { MigrationError } from './migration-error.js';

/**
 * Pending migrations sort before the last applied one (typically a branch merged late).
 * They are never silently skipped: `up` stops here unless run with `allowOutOfOrder`.
 *
 * @example
 * if (result.error instanceof MigrationOrderError) console.error('out of order:', result.error.outOfOrder);
 */
export class MigrationOrderError extends MigrationError {
  /** Names of the pending migrations that sort before the last applied one. */
  readonly outOfOrder: readonly string[];
  /** The last applied migration they sort before. */
  readonly lastApplied: string;

  constructor(outOfOrder: readonly string[], lastApplied: string) {
    super(
      `${outOfOrder.length} pending migration(s) sort before the last applied migration ${lastApplied}: ${outOfOrder.join(', ')}. ` +
        'They were not skipped: rename them to sort last, or run with allowOutOfOrder (CLI: --allow-out-of-order) to apply them now.',
      { code: 'STRATA_MIGRATION_ORDER', migration: outOfOrder[0] },
    );
    this.outOfOrder = outOfOrder;
    this.lastApplied = lastApplied;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), outOfOrder: this.outOfOrder, lastApplied: this.lastApplied };
  }
}
