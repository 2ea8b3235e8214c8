import type { IsolationLevel, Kysely, Transaction } from 'kysely';
import type { KyselyInstance } from './kysely-instance.js';
import { ConfigurationError } from './errors/configuration-error.js';
import { DeadlockDetectedError, SerializationFailureError } from './errors/transient-errors.js';

/** Options of `transaction()`. */
export interface TransactionOptions {
  /** Default: the server's (normally `read committed`). */
  readonly isolation?: Exclude<IsolationLevel, 'snapshot'>;
  readonly accessMode?: 'read only' | 'read write';
  /**
   * How many times to re-run the whole transaction after a serialization failure (40001)
   * or a deadlock (40P01). No other error is ever retried. Default 3; 0 disables retries.
   */
  readonly retries?: number;
  /** First backoff delay; doubles each retry, with full jitter. Default 10 ms. */
  readonly retryDelayMillis?: number;
  /** Upper bound of one backoff delay. Default 500 ms. */
  readonly maxRetryDelayMillis?: number;
  /** Called before each retry, e.g. to count them in metrics. */
  readonly onRetry?: (attempt: number, error: Error) => void;
}

/** Whether an error is a serialization failure or a deadlock: the only ones worth a retry. */
export function isRetryableTransactionError(error: unknown): boolean {
  if (error instanceof SerializationFailureError || error instanceof DeadlockDetectedError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

function backoffDelay(attempt: number, base: number, maximum: number): number {
  // Full jitter: uniform in [0, min(max, base·2^attempt)] so retrying callers spread out.
  return Math.random() * Math.min(maximum, base * 2 ** attempt);
}

/**
 * Runs `work` in a transaction and commits it, or rolls it back if `work` throws. On a
 * serialization failure or deadlock the whole transaction is re-run, up to `retries` times
 * with exponential backoff and jitter; `work` must therefore be safe to run again (no
 * side effects outside the database). Inside an existing transaction, `work` simply runs in
 * it (no nested retry: only the outermost transaction can be retried).
 *
 * @example
 * const balance = await transaction(db, async (trx) => {
 *   await trx.updateTable('accounts').set({ balance: sql`balance - 10` }).where('id', '=', from).execute();
 *   await trx.updateTable('accounts').set({ balance: sql`balance + 10` }).where('id', '=', to).execute();
 * }, { isolation: 'serializable', retries: 5 });
 */
export async function transaction<DB, T>(
  db: KyselyInstance<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const retries = options.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 0 || retries > 100) {
    throw new ConfigurationError(`retries must be an integer from 0 to 100, got ${String(options.retries)}`);
  }
  if (db.isTransaction) return await work(db as Transaction<DB>);
  const root = db as Kysely<DB>;
  const baseDelay = options.retryDelayMillis ?? 10;
  const maxDelay = options.maxRetryDelayMillis ?? 500;
  for (let attempt = 0; ; attempt += 1) {
    try {
      let builder = root.transaction();
      if (options.isolation) builder = builder.setIsolationLevel(options.isolation);
      if (options.accessMode) builder = builder.setAccessMode(options.accessMode);
      return await builder.execute(work);
    } catch (error) {
      if (attempt >= retries || !isRetryableTransactionError(error)) throw error;
      options.onRetry?.(attempt + 1, error as Error);
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, baseDelay, maxDelay)));
    }
  }
}
