import type pg from 'pg';
import { MigrationLockTimeoutError } from '../errors/migration-lock-timeout-error.js';
import type { BookkeepingTable } from './bookkeeping-table.js';

/** How to wait for the migration lock. */
export interface LockWaitOptions {
  /** Give up after this long. 0 means do not wait at all. */
  readonly timeoutMillis: number;
  /** How often `onWaiting` is called again while waiting. */
  readonly progressIntervalMillis: number;
  /** Called when the lock is held by someone else, then every `progressIntervalMillis`. */
  readonly onWaiting: (holderPid: number | undefined, waitedMillis: number) => void;
}

/**
 * The bigint form of an advisory lock shows up in pg_locks split in two: the high 32 bits
 * as `classid`, the low 32 bits as `objid`, with `objsubid = 1`.
 */
function lockTagParts(lockKey: string): { classId: string; objectId: string } {
  const unsigned = BigInt.asUintN(64, BigInt(lockKey));
  return { classId: (unsigned >> 32n).toString(), objectId: (unsigned & 0xffffffffn).toString() };
}

/** The backend pid holding the lock, if it can be seen (it always can within one database). */
export async function findLockHolder(client: pg.ClientBase, table: BookkeepingTable): Promise<number | undefined> {
  const { classId, objectId } = lockTagParts(table.lockKey);
  const result = await client.query<{ pid: number }>(
    `select pid from pg_locks
      where locktype = 'advisory' and granted and objsubid = 1 and classid = $1::bigint::oid and objid = $2::bigint::oid
        and database = (select oid from pg_database where datname = current_database())
      limit 1`,
    [classId, objectId],
  );
  return result.rows[0]?.pid;
}

/**
 * Takes the session-level advisory lock that serializes migration runs on one database and
 * bookkeeping table. Session-level (not transaction-level) because the run spans many
 * transactions; that is also why it needs a direct or session-pooled connection: behind
 * PgBouncer in transaction pooling mode the lock would stay on a server connection the
 * next transaction may not get.
 *
 * First a non-blocking try (one round trip when nobody else migrates). When the lock is
 * taken, the holder's pid is reported and the wait happens server-side with
 * `lock_timeout`, so the lock is granted the moment it is released, without polling.
 */
export async function acquireMigrationLock(client: pg.ClientBase, table: BookkeepingTable, options: LockWaitOptions): Promise<number> {
  const attempt = await client.query<{ acquired: boolean }>('select pg_try_advisory_lock($1::bigint) as acquired', [table.lockKey]);
  if (attempt.rows[0]?.acquired) return 0;
  const started = performance.now();
  const holderPid = await findLockHolder(client, table);
  options.onWaiting(holderPid, 0);
  if (options.timeoutMillis === 0) throw new MigrationLockTimeoutError(0, holderPid);
  const timer = setInterval(() => options.onWaiting(holderPid, Math.round(performance.now() - started)), options.progressIntervalMillis);
  timer.unref();
  try {
    // Transaction-local settings: the wait is bounded by lock_timeout and not cut short by a
    // statement_timeout the connection may carry; both vanish at commit, while the
    // session-level lock taken inside the transaction stays held.
    await client.query('begin');
    await client.query("select set_config('lock_timeout', $1, true), set_config('statement_timeout', '0', true)", [
      `${Math.max(1, Math.round(options.timeoutMillis))}ms`,
    ]);
    await client.query('select pg_advisory_lock($1::bigint)', [table.lockKey]);
    await client.query('commit');
    return Math.round(performance.now() - started);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    if ((error as { code?: unknown }).code === '55P03') throw new MigrationLockTimeoutError(options.timeoutMillis, holderPid, error);
    throw error;
  } finally {
    clearInterval(timer);
  }
}

/** Releases the lock. Errors are ignored: a dead connection has released it already. */
export async function releaseMigrationLock(client: pg.ClientBase, table: BookkeepingTable): Promise<void> {
  await client.query('select pg_advisory_unlock($1::bigint)', [table.lockKey]).catch(() => undefined);
}
