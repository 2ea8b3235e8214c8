import type { MigrationStatus } from '../runner/migration-status.js';
import { exitCodes } from './exit-codes.js';
import type { TerminalOutput } from './terminal-output.js';

/** Prints the status and returns the exit code (`--fail-on-pending` decides). */
export function reportStatus(output: TerminalOutput, status: MigrationStatus, context: { target: string; table: string; failOnPending: boolean }): number {
  output.document({ target: context.target, table: context.table, ...status });
  const stateStyle = status.state === 'up_to_date' ? 'green' : status.state === 'drift' || status.state === 'ahead' ? 'red' : 'yellow';
  output.line(`Database: ${context.target}`);
  output.line(`Table:    ${context.table}`);
  output.line(`State:    ${output.paint(status.state, stateStyle)}`);
  if (status.applied.length > 0) {
    output.line(`Applied (${status.applied.length}):`);
    for (const row of status.applied) {
      output.line(`  ${row.name}  ${row.appliedAt.toISOString()}  ${row.executionTimeMillis} ms${row.method === 'baseline' ? '  (baseline)' : ''}`);
    }
  }
  const outOfOrder = new Set(status.outOfOrder);
  if (status.pending.length > 0) {
    output.line(`Pending (${status.pending.length}):`);
    for (const name of status.pending) output.line(`  ${name}${outOfOrder.has(name) ? output.paint('  (out of order: sorts before the last applied migration)', 'yellow') : ''}`);
  }
  if (status.drifted.length > 0) {
    output.line(output.paint(`Edited after being applied (${status.drifted.length}):`, 'red'));
    for (const entry of status.drifted) output.line(`  ${entry.name}`);
  }
  if (status.missing.length > 0) {
    output.line(output.paint(`Applied but unknown to --dir (${status.missing.length}):`, 'red'));
    for (const name of status.missing) output.line(`  ${name}`);
  }
  if (!context.failOnPending) return exitCodes.success;
  if (status.state === 'drift' || status.state === 'ahead') return exitCodes.failure;
  return status.pending.length > 0 ? exitCodes.pending : exitCodes.success;
}
