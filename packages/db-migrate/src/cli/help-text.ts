import type { CommandName } from './cli-arguments.js';

const connection = `Connection and location (every command that touches the database):
  --url URL            PostgreSQL connection string (default: $DATABASE_URL). The password is never printed.
  --dir PATH           Migrations directory, or a drizzle-kit output folder (default: ./migrations)
  --schema NAME        Schema of the bookkeeping table (default: public)
  --table NAME         Bookkeeping table (default: strata_migrations)
  --lock-timeout SEC   Wait at most this long for another run's lock (default: 300; 0 = do not wait)
  --json               Machine-readable output on stdout (one JSON document)
  -h, --help           Help for the command`;

const exitCodeText = `Exit codes: 0 success, 1 a migration or the run failed, 2 usage error, 3 pending migrations (status --fail-on-pending).`;

const general = `strata-migrate: PostgreSQL migrations that are safe under concurrent deploys.

Usage: strata-migrate <command> [options]

Commands:
  up         Apply pending migrations
  down       Revert migrations (--steps N or --to NAME)
  status     Show applied, pending, drifted and unknown migrations
  create     Write a new migration file from a template
  baseline   Record migrations up to NAME as applied without running them
  sync       Create the database if it is missing, then apply pending migrations

Run "strata-migrate <command> --help" for a command's options.

${connection}

${exitCodeText}`;

const commands: Record<CommandName, string> = {
  up: `Usage: strata-migrate up [--to NAME] [--dry-run] [options]

Applies pending migrations in order, each in its own transaction with its bookkeeping row,
under a session advisory lock (a concurrent run waits, then finds nothing to do).

  --to NAME              Stop after this migration
  --dry-run              Print the plan and the SQL; change nothing, take no lock
  --allow-out-of-order   Apply pending migrations that sort before the last applied one (default: error)
  --allow-missing        Go on although applied migrations are missing from --dir (default: error)
  --accept-drift         Run although applied migrations were edited (drift stays reported)
  --restamp-drift        Store the edited migrations' new checksums, then run`,
  down: `Usage: strata-migrate down [--steps N | --to NAME] [--dry-run] [options]

Reverts the most recently applied migrations, newest first, each in its own transaction.
Stops before reverting anything when one of them has no down step.

  --steps N        Revert N migrations (default: 1)
  --to NAME        Revert every migration applied after NAME (NAME stays applied)
  --dry-run        Print the plan and the SQL; change nothing
  --accept-drift   Revert although the migrations were edited after they were applied`,
  status: `Usage: strata-migrate status [--json] [--fail-on-pending] [options]

Shows the state (no_database, uninitialized, drift, ahead, pending, up_to_date) with the
lists behind it. One query, no lock: safe to run at any time.

  --fail-on-pending   Exit 3 when migrations are pending (or the database/table is missing),
                      and 1 on drift or unknown applied migrations`,
  create: `Usage: strata-migrate create NAME [--sql | --ts] [--dir PATH]

Writes <prefix>_<name>.sql (default) or .ts into --dir. The prefix continues a zero-padded
counter when the directory uses one, otherwise it is a UTC timestamp.

  --sql   A SQL file with a "-- strata:down" section (default)
  --ts    A TypeScript module exporting up(db) and down(db)`,
  baseline: `Usage: strata-migrate baseline NAME [--dry-run] [options]

Records every migration up to and including NAME as applied without running it: for adopting
a database whose schema already exists.

  --dry-run   Print what would be recorded; change nothing`,
  sync: `Usage: strata-migrate sync [options]

Creates the database named in the URL when it does not exist (connecting to the maintenance
database; needs CREATEDB), then applies pending migrations. Reports created, upgraded or
already up to date.

  --maintenance-database NAME   Database used to run CREATE DATABASE (default: postgres)
  --allow-out-of-order, --allow-missing, --accept-drift, --restamp-drift   As for "up"`,
};

/** Help for one command, or the overview. */
export function helpText(command: CommandName | undefined): string {
  if (command === undefined) return general;
  return `${commands[command]}\n\n${command === 'create' ? '' : `${connection}\n\n`}${exitCodeText}`;
}
