/** Exit codes of `strata-migrate` (documented in the README and `--help`). */
export const exitCodes = {
  /** Everything asked for was done. */
  success: 0,
  /** A migration failed, or the run could not proceed (connection, lock timeout, drift…). */
  failure: 1,
  /** The command line was wrong: unknown command or flag, missing argument, no connection string. */
  usage: 2,
  /** `status --fail-on-pending` found migrations still to apply. */
  pending: 3,
} as const;

/** A command-line mistake: printed with a hint to `--help`, exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
