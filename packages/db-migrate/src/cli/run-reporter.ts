import type { MigrationOutcome, MigrationProgressEvent, MigrationRunResult } from '../runner/migration-result.js';
import { formatMillis, type TerminalOutput } from './terminal-output.js';

const verbs: Record<MigrationOutcome['status'], string> = {
  applied: 'applied',
  reverted: 'reverted',
  baselined: 'baselined',
  restamped: 'restamped',
  failed: 'FAILED',
  planned: 'planned',
};

/** Progress as it happens: lock waits on stderr, one line per finished migration on stdout. */
export function progressPrinter(output: TerminalOutput, tableName: string): (event: MigrationProgressEvent) => void {
  return (event) => {
    if (event.type === 'lock_waiting') {
      const holder = event.holderPid === undefined ? 'another run' : `PostgreSQL backend pid ${event.holderPid}`;
      output.note(
        `Waiting for the migration lock on ${tableName}, held by ${holder} (waited ${formatMillis(event.waitedMillis)} of ${formatMillis(event.timeoutMillis)})…`,
      );
    }
    if (event.type === 'migration_finished' && event.outcome.status !== 'planned') {
      const outcome = event.outcome;
      const mark = outcome.status === 'failed' ? output.paint('✗', 'red') : output.paint('✓', 'green');
      const duration = outcome.status === 'failed' ? '' : `  ${output.paint(formatMillis(outcome.durationMillis), 'dim')}`;
      const noTransaction = outcome.transaction ? '' : output.paint('  (no transaction)', 'yellow');
      output.line(`  ${mark} ${verbs[outcome.status]} ${outcome.name}${duration}${noTransaction}`);
    }
  };
}

function printPlan(output: TerminalOutput, result: MigrationRunResult): void {
  if (result.migrations.length === 0) {
    output.line('Dry run: nothing to do.');
    return;
  }
  output.line(`Dry run: ${result.command} would process ${result.migrations.length} migration(s); nothing was changed.`);
  for (const outcome of result.migrations) {
    output.line('');
    output.line(output.paint(`-- ${outcome.direction} ${outcome.name}${outcome.transaction ? '' : ' (no transaction)'}${outcome.file ? ` (${outcome.file})` : ''}`, 'bold'));
    output.line(outcome.sql === undefined ? '-- (a function step: its SQL is known only when it runs)' : outcome.sql.trim());
  }
}

/** The end of a run: the plan for dry runs, a summary line, and the error on stderr. Returns success. */
export function reportRun(output: TerminalOutput, result: MigrationRunResult, extra: Record<string, unknown> = {}): boolean {
  output.document({ ...extra, ...result });
  if (result.dryRun) printPlan(output, result);
  if (!result.success) {
    output.note(output.paint(`Error: ${result.error?.message ?? 'unknown error'}`, 'red'));
    return false;
  }
  if (!result.dryRun) {
    const done = result.migrations.filter((migration) => migration.status !== 'restamped');
    if (done.length === 0) output.line(result.command === 'down' ? 'Nothing to revert.' : 'Already up to date.');
    else output.line(`${done.length} migration(s) ${result.command === 'down' ? 'reverted' : result.command === 'baseline' ? 'baselined' : 'applied'} in ${formatMillis(result.durationMillis)}.`);
  }
  return true;
}
