import type { CompiledQuery, OperationNode } from 'kysely';

/**
 * Compiled queries the caller explicitly allowed to run on a replica even though they carry
 * a prelude (e.g. a tenant-scoped read via `executeForTenant(…, { replica: true })`).
 */
const replicaAllowed = new WeakSet<CompiledQuery>();

/** Marks a (per-call) compiled query as allowed on a replica. */
export function allowOnReplica<R>(query: CompiledQuery<R>): CompiledQuery<R> {
  replicaAllowed.add(query);
  return query;
}

export function isAllowedOnReplica(query: CompiledQuery): boolean {
  return replicaAllowed.has(query);
}

const lockingModifiers = new Set(['ForUpdate', 'ForNoKeyUpdate', 'ForShare', 'ForKeyShare']);

function hasLockingClause(node: { endModifiers?: readonly OperationNode[] }): boolean {
  return (node.endModifiers ?? []).some((modifier) => {
    const name = (modifier as unknown as { modifier?: string }).modifier;
    return name !== undefined && lockingModifiers.has(name);
  });
}

function writesInCommonTableExpressions(node: { with?: { expressions: readonly { expression: OperationNode }[] } }): boolean {
  return (node.with?.expressions ?? []).some((cte) => cte.expression.kind !== 'SelectQueryNode');
}

/**
 * Whether a query built with Kysely's query builder is a plain read that a replica can
 * serve: a SELECT without FOR UPDATE/SHARE and without data-modifying CTEs. Raw SQL is never
 * classified as a read (it could call anything), so it always goes to the primary.
 */
export function isReplicaSafeRead(query: CompiledQuery): boolean {
  const node = query.query as OperationNode & { endModifiers?: readonly OperationNode[]; with?: { expressions: readonly { expression: OperationNode }[] } };
  if (!node || node.kind !== 'SelectQueryNode') return false;
  return !hasLockingClause(node) && !writesInCommonTableExpressions(node);
}
