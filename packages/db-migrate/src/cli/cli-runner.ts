import { StrataError } from '@strata/db-core';
import { MigrationError } from '../errors/migration-error.js';
import { sync } from '../runner/database-sync.js';
import { createMigrator, type Migrator, type MigratorConfig } from '../runner/migrator.js';
import type { DriftPolicy } from '../runner/up-run.js';
import { createMigrationFile } from '../sources/migration-file-creator.js';
import { parseCliArguments, positiveInteger, secondsOption, type CliArguments } from './cli-arguments.js';
import { CliUsageError, exitCodes } from './exit-codes.js';
import { helpText } from './help-text.js';
import { progressPrinter, reportRun } from './run-reporter.js';
import { reportStatus } from './status-reporter.js';
import { passwordOf, TerminalOutput, type CliIo } from './terminal-output.js';

function connectionString(args: CliArguments, io: CliIo): string {
  const url = args.values.url ?? io.env.DATABASE_URL;
  if (!url) throw new CliUsageError('No database: pass --url or set DATABASE_URL.');
  return url;
}

function driftPolicy(args: CliArguments): DriftPolicy {
  if (args.values['accept-drift'] && args.values['restamp-drift']) throw new CliUsageError('Give --accept-drift or --restamp-drift, not both.');
  return args.values['restamp-drift'] ? 'restamp' : args.values['accept-drift'] ? 'accept' : 'error';
}

function onlyName(args: CliArguments, what: string): string {
  if (args.positionals.length !== 1) throw new CliUsageError(`"${args.command}" needs exactly one ${what}.`);
  return args.positionals[0]!;
}

function noPositionals(args: CliArguments): void {
  if (args.positionals.length > 0) throw new CliUsageError(`Unexpected argument "${args.positionals[0]}" for "${args.command}".`);
}

function migratorConfig(args: CliArguments, io: CliIo, output: TerminalOutput, tableName: () => string): MigratorConfig {
  return {
    connectionString: connectionString(args, io),
    source: args.values.dir ?? 'migrations',
    schema: args.values.schema,
    table: args.values.table,
    lockTimeoutMillis: secondsOption('lock-timeout', args.values['lock-timeout']),
    onProgress: progressPrinter(output, tableName()),
  };
}

/** Configuration problems found before connecting are usage errors (exit 2). */
function openMigrator(config: MigratorConfig): Migrator {
  try {
    return createMigrator(config);
  } catch (error) {
    if (error instanceof StrataError && !(error instanceof MigrationError)) throw new CliUsageError(error.message);
    throw error;
  }
}

async function runCommand(args: CliArguments, io: CliIo, output: TerminalOutput): Promise<number> {
  const command = args.command!;
  if (command === 'create') {
    const name = onlyName(args, 'migration NAME');
    if (args.values.sql && args.values.ts) throw new CliUsageError('Give --sql or --ts, not both.');
    const file = await createMigrationFile({ directory: args.values.dir ?? 'migrations', name, kind: args.values.ts ? 'ts' : 'sql' });
    output.document({ file });
    output.line(`Created ${file}`);
    return exitCodes.success;
  }
  const tableName = `${args.values.schema ?? 'public'}.${args.values.table ?? 'strata_migrations'}`;
  const config = migratorConfig(args, io, output, () => tableName);
  if (command === 'sync') {
    noPositionals(args);
    const result = await sync({
      ...config,
      connectionString: config.connectionString!,
      maintenanceDatabase: args.values['maintenance-database'],
      up: { allowOutOfOrder: args.values['allow-out-of-order'], allowMissing: args.values['allow-missing'], drift: driftPolicy(args) },
    }).catch((error: unknown) => {
      if (error instanceof StrataError && !(error instanceof MigrationError)) throw new CliUsageError(error.message);
      throw error;
    });
    output.document(result);
    if (!result.success) {
      output.note(output.paint(`Error: ${result.error?.message ?? 'unknown error'}`, 'red'));
      return exitCodes.failure;
    }
    output.line({ created: 'Database created and migrated.', upgraded: 'Database upgraded.', already_up_to_date: 'Already up to date.', failed: '' }[result.outcome]);
    return exitCodes.success;
  }
  const migrator = openMigrator(config);
  try {
    if (command === 'status') {
      noPositionals(args);
      const status = await migrator.getStatus();
      return reportStatus(output, status, { target: output.redact(config.connectionString!), table: migrator.tableName, failOnPending: args.values['fail-on-pending'] === true });
    }
    let result;
    if (command === 'up') {
      noPositionals(args);
      result = await migrator.up({
        to: args.values.to,
        dryRun: args.values['dry-run'],
        allowOutOfOrder: args.values['allow-out-of-order'],
        allowMissing: args.values['allow-missing'],
        drift: driftPolicy(args),
      });
    } else if (command === 'down') {
      noPositionals(args);
      const steps = positiveInteger('steps', args.values.steps);
      if (steps !== undefined && args.values.to !== undefined) throw new CliUsageError('Give --steps or --to, not both.');
      result = await migrator.down({ steps, to: args.values.to, dryRun: args.values['dry-run'], drift: args.values['accept-drift'] ? 'accept' : 'error' });
    } else {
      result = await migrator.baseline(onlyName(args, 'migration NAME'), { dryRun: args.values['dry-run'] });
    }
    return reportRun(output, result) ? exitCodes.success : exitCodes.failure;
  } finally {
    await migrator.close();
  }
}

/**
 * Runs `strata-migrate` with the given arguments and returns the exit code: 0 success,
 * 1 failure, 2 usage error, 3 pending migrations with `status --fail-on-pending`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArguments;
  try {
    args = parseCliArguments(argv);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\nRun "strata-migrate --help" for usage.\n`);
    return exitCodes.usage;
  }
  if (args.help) {
    io.stdout.write(`${helpText(args.command)}\n`);
    return exitCodes.success;
  }
  const output = new TerminalOutput(io, args.values.json === true, passwordOf(args.values.url ?? io.env.DATABASE_URL));
  try {
    return await runCommand(args, io, output);
  } catch (error) {
    if (error instanceof CliUsageError) {
      output.note(`${error.message}\nRun "strata-migrate ${args.command} --help" for usage.`);
      return exitCodes.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    output.document({ success: false, error: error instanceof MigrationError ? error : { name: 'Error', message } });
    output.note(output.paint(`Error: ${message}`, 'red'));
    return exitCodes.failure;
  }
}
