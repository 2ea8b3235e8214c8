/**
 * Names of everything the harness creates on a server. Each name carries the pid of the
 * test run that created it, so a later run can tell its own objects from the leftovers
 * of a run that was killed (SIGKILL skips every teardown) and clean those up.
 */
const prefix = 'strata_t';

/** Prefix of embedded data directories inside the OS temporary folder. */
export const dataDirectoryPrefix = 'strata-pg-';

export function templateDatabaseName(runId: number): string {
  return `${prefix}_${runId}_template`;
}

export function testDatabaseName(runId: number, suffix: string): string {
  return `${prefix}_${runId}_${suffix}`;
}

/** Extracts the run id (a pid) from a harness-created database or role name. */
export function runIdOf(name: string): number | undefined {
  const match = /^strata_t_(\d+)_/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Whether a process with this pid is still alive on this machine. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
