import { randomUUID } from 'node:crypto';
import {
  executeForTenant,
  InvalidTenantError,
  RowLevelSecurityError,
  StrataError,
  UniqueViolationError,
  withTenant,
  type StrataDb,
} from '@strata/db-core';
import { CompiledQuery, sql } from 'kysely';
import { runConcurrently } from '../load/concurrent-runner.js';
import { seededRandom } from '../load/seeded-random.js';
import type { IsolationDatabase } from './isolation-schema.js';

/** The kinds of tenant-scoped operation the workload mixes, with their share (out of 100). */
export const operationMix = {
  /** executeForTenant: list the tenant's latest notes (no WHERE: RLS alone filters). */
  read: 30,
  /** executeForTenant: insert one note. */
  insert: 20,
  /** withTenant: insert a note, increment the tenant's counter, count what is visible. */
  transaction: 20,
  /** withTenant: insert a note, then throw: everything must roll back. */
  rollback: 8,
  /** withTenant: insert a note and the same tag twice: UniqueViolationError, all rolled back. */
  uniqueViolation: 6,
  /** executeForTenant: insert a row for ANOTHER tenant: the policy must refuse it. */
  crossTenantInsert: 6,
  /** withTenant: update and delete another tenant's note by id: must touch 0 rows. */
  crossTenantUpdate: 5,
  /** executeForTenant: a statement that fails (division by zero): a typed error. */
  statementError: 3,
  /** an invalid tenant id: InvalidTenantError before any SQL. */
  invalidTenant: 2,
} as const;

export type OperationKind = keyof typeof operationMix;

/** What the workload believes is committed, for the verifier to compare with the database. */
export interface IsolationLedger {
  readonly notesByTenant: Map<string, number>;
  readonly counterByTenant: Map<string, number>;
}

/** What happened during the workload. */
export interface WorkloadOutcome {
  readonly operations: number;
  readonly byKind: Record<OperationKind, number>;
  /** Rows of another tenant a read returned. */
  readonly crossedReads: number;
  /** Writes to another tenant's rows that the database accepted. */
  readonly crossedWrites: number;
  /** Operations whose outcome was not the expected one (first few described). */
  readonly unexpectedCount: number;
  readonly unexpected: readonly string[];
  readonly durationMillis: number;
  readonly ledger: IsolationLedger;
}

class DeliberateRollback extends Error {}

const kinds = Object.keys(operationMix) as OperationKind[];
const cumulative = kinds.reduce<number[]>((totals, kind) => [...totals, (totals.at(-1) ?? 0) + operationMix[kind]], []);

function pickKind(roll: number): OperationKind {
  const index = cumulative.findIndex((threshold) => roll * 100 < threshold);
  return kinds[index === -1 ? kinds.length - 1 : index]!;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return String(error);
}

/**
 * Runs `operations` tenant-scoped operations over `tenants` with `concurrency` in flight on
 * one db (whose pool is much smaller than the concurrency, so connections are reused by
 * different tenants all the time), checking each operation's outcome as it completes.
 *
 * @example
 * const outcome = await runIsolationWorkload({ db, tenants, operations: 100_000, concurrency: 256, seed: 1 });
 */
export async function runIsolationWorkload(options: {
  readonly db: StrataDb<IsolationDatabase>;
  readonly tenants: readonly string[];
  readonly operations: number;
  readonly concurrency: number;
  readonly seed: number;
}): Promise<WorkloadOutcome> {
  const { db, tenants } = options;
  const random = seededRandom(options.seed);
  const ledger: IsolationLedger = { notesByTenant: new Map(), counterByTenant: new Map() };
  const noteIds: { id: string; tenantId: string }[] = [];
  const byKind = Object.fromEntries(kinds.map((kind) => [kind, 0])) as Record<OperationKind, number>;
  const unexpected: string[] = [];
  let unexpectedCount = 0;
  let crossedReads = 0;
  let crossedWrites = 0;
  const note = (kind: OperationKind, message: string) => {
    unexpectedCount += 1;
    if (unexpected.length < 10) unexpected.push(`${kind}: ${message}`);
  };
  const increment = (map: Map<string, number>, tenantId: string) => map.set(tenantId, (map.get(tenantId) ?? 0) + 1);
  const otherTenant = (tenantId: string) => {
    const other = tenants[random.integer(tenants.length)]!;
    return other === tenantId ? tenants[(tenants.indexOf(tenantId) + 1) % tenants.length]! : other;
  };
  const started = performance.now();

  await runConcurrently({ total: options.operations, concurrency: options.concurrency }, async () => {
    const kind = pickKind(random.next());
    const tenantId = tenants[random.integer(tenants.length)]!;
    byKind[kind] += 1;
    try {
      switch (kind) {
        case 'read': {
          const rows = await executeForTenant(db, tenantId, db.selectFrom('notes').select(['id', 'tenant_id']).orderBy('id', 'desc').limit(20));
          crossedReads += rows.filter((row) => row.tenant_id !== tenantId).length;
          return;
        }
        case 'insert': {
          const [row] = await executeForTenant(
            db,
            tenantId,
            db.insertInto('notes').values({ tenant_id: tenantId, body: `${tenantId}:insert` }).returning('id'),
          );
          increment(ledger.notesByTenant, tenantId);
          if (row && noteIds.length < 50_000) noteIds.push({ id: row.id, tenantId });
          return;
        }
        case 'transaction': {
          const visibleForeign = await withTenant(db, tenantId, async (trx) => {
            await trx.insertInto('notes').values({ tenant_id: tenantId, body: `${tenantId}:transaction` }).execute();
            await trx
              .insertInto('counters')
              .values({ tenant_id: tenantId, value: '1' })
              .onConflict((conflict) => conflict.column('tenant_id').doUpdateSet({ value: sql`counters.value + 1` }))
              .execute();
            const { foreign } = await trx
              .selectFrom('notes')
              .select(sql<number>`count(*) filter (where tenant_id <> ${tenantId}::uuid)::int`.as('foreign'))
              .executeTakeFirstOrThrow();
            return foreign;
          });
          increment(ledger.notesByTenant, tenantId);
          increment(ledger.counterByTenant, tenantId);
          crossedReads += visibleForeign;
          return;
        }
        case 'rollback': {
          try {
            await withTenant(db, tenantId, async (trx) => {
              await trx.insertInto('notes').values({ tenant_id: tenantId, body: `${tenantId}:rollback` }).execute();
              throw new DeliberateRollback();
            });
            note(kind, 'the transaction did not throw');
          } catch (error) {
            if (!(error instanceof DeliberateRollback)) throw error;
          }
          return;
        }
        case 'uniqueViolation': {
          try {
            await withTenant(db, tenantId, async (trx) => {
              await trx.insertInto('notes').values({ tenant_id: tenantId, body: `${tenantId}:rollback-unique` }).execute();
              await trx.insertInto('tags').values({ tenant_id: tenantId, name: 'twice' }).execute();
              await trx.insertInto('tags').values({ tenant_id: tenantId, name: 'twice' }).execute();
            });
            note(kind, 'the duplicate was accepted');
          } catch (error) {
            if (!(error instanceof UniqueViolationError)) throw error;
          }
          return;
        }
        case 'crossTenantInsert': {
          const victim = otherTenant(tenantId);
          try {
            await executeForTenant(db, tenantId, db.insertInto('notes').values({ tenant_id: victim, body: `${victim}:cross` }));
            crossedWrites += 1;
          } catch (error) {
            if (!(error instanceof RowLevelSecurityError)) throw error;
          }
          return;
        }
        case 'crossTenantUpdate': {
          // Another tenant's note (before the first insert lands: an id that does not exist).
          const target = noteIds.length > 0 ? noteIds[random.integer(noteIds.length)]! : { id: '0', tenantId: otherTenant(tenantId) };
          const actor = target.tenantId === tenantId ? otherTenant(tenantId) : tenantId;
          const touched = await withTenant(db, actor, async (trx) => {
            const updated = await trx.updateTable('notes').set({ body: 'hijacked' }).where('id', '=', target.id).executeTakeFirst();
            const deleted = await trx.deleteFrom('notes').where('id', '=', target.id).executeTakeFirst();
            return Number(updated.numUpdatedRows) + Number(deleted.numDeletedRows);
          });
          crossedWrites += touched;
          return;
        }
        case 'statementError': {
          try {
            await executeForTenant(db, tenantId, CompiledQuery.raw('select 1 / 0 as impossible'));
            note(kind, 'division by zero succeeded');
          } catch (error) {
            if (!(error instanceof StrataError) || error.code !== '22012') throw error;
          }
          return;
        }
        case 'invalidTenant': {
          try {
            await executeForTenant(db, `${randomUUID()}' or true --`, db.selectFrom('notes').selectAll());
            note(kind, 'an invalid tenant id was accepted');
          } catch (error) {
            if (!(error instanceof InvalidTenantError)) throw error;
          }
          return;
        }
      }
    } catch (error) {
      note(kind, describeError(error));
    }
  });

  return {
    operations: options.operations,
    byKind,
    crossedReads,
    crossedWrites,
    unexpectedCount,
    unexpected,
    durationMillis: performance.now() - started,
    ledger,
  };
}
