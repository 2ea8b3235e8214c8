import pg from 'pg';
import type { IsolationLedger } from './isolation-workload.js';

/** What a superuser found in the tables after the workload. */
export interface IsolationVerdict {
  /** Rows read and checked (notes, counters, tags). */
  readonly rowsChecked: number;
  /** Notes whose body names another tenant than their tenant_id column. */
  readonly misplacedRows: number;
  /** Rows that must not exist: rolled-back notes, cross-tenant inserts, hijacked bodies, tags. */
  readonly forbiddenRows: number;
  /** Tenants whose note count or counter differs from what was acknowledged. */
  readonly countMismatches: number;
  readonly descriptions: readonly string[];
}

/**
 * Checks every row as a superuser (RLS does not apply): each note sits with the tenant its
 * body names, nothing from a rolled-back or refused operation exists, and per-tenant note
 * counts and counters equal exactly what the workload saw acknowledged.
 *
 * @example
 * const verdict = await verifyIsolation(database.adminUrl, outcome.ledger, tenants);
 */
export async function verifyIsolation(adminUrl: string, ledger: IsolationLedger, tenants: readonly string[]): Promise<IsolationVerdict> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const notes = await client.query<{ tenant_id: string; total: number; misplaced: number; forbidden: number }>(`
      select tenant_id::text,
             count(*)::int as total,
             count(*) filter (where split_part(body, ':', 1) <> tenant_id::text)::int as misplaced,
             count(*) filter (where body not in (tenant_id::text || ':insert', tenant_id::text || ':transaction'))::int as forbidden
        from notes group by tenant_id`);
    const counters = await client.query<{ tenant_id: string; value: string }>('select tenant_id::text, value::text from counters');
    const tags = await client.query<{ total: number }>('select count(*)::int as total from tags');
    const descriptions: string[] = [];
    let countMismatches = 0;
    const noteCounts = new Map(notes.rows.map((row) => [row.tenant_id, row.total]));
    const counterValues = new Map(counters.rows.map((row) => [row.tenant_id, Number(row.value)]));
    for (const tenantId of new Set([...tenants, ...noteCounts.keys(), ...counterValues.keys()])) {
      const expectedNotes = ledger.notesByTenant.get(tenantId) ?? 0;
      const expectedCounter = ledger.counterByTenant.get(tenantId) ?? 0;
      const actualNotes = noteCounts.get(tenantId) ?? 0;
      const actualCounter = counterValues.get(tenantId) ?? 0;
      if (actualNotes !== expectedNotes || actualCounter !== expectedCounter) {
        countMismatches += 1;
        if (descriptions.length < 10) {
          descriptions.push(`tenant ${tenantId}: notes ${actualNotes}/${expectedNotes}, counter ${actualCounter}/${expectedCounter}`);
        }
      }
    }
    const misplacedRows = notes.rows.reduce((total, row) => total + row.misplaced, 0);
    const forbiddenRows = notes.rows.reduce((total, row) => total + row.forbidden, 0) + tags.rows[0]!.total;
    const rowsChecked = notes.rows.reduce((total, row) => total + row.total, 0) + counters.rows.length + tags.rows[0]!.total;
    return { rowsChecked, misplacedRows, forbiddenRows, countMismatches, descriptions };
  } finally {
    await client.end();
  }
}
