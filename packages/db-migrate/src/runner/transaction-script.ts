import type pg from 'pg';

/**
 * Sends `statements` wrapped in BEGIN/COMMIT as one simple-protocol message (one round
 * trip), rolling back when any of them fails so the connection is usable again.
 */
export async function runTransactionScript(client: pg.ClientBase, statements: readonly string[]): Promise<void> {
  try {
    await client.query(['begin;', ...statements, 'commit;'].join('\n'));
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
