import { createHash } from 'node:crypto';

/** PostgreSQL truncates identifiers longer than this many bytes (NAMEDATALEN - 1). */
const maximumIdentifierBytes = 63;

/**
 * What a constraint or index is, as the suffix PostgreSQL itself would use.
 *
 * @example
 * constraintName('accounts', ['user_id'], 'fkey' satisfies ConstraintKind);
 */
export type ConstraintKind = 'pkey' | 'key' | 'fkey' | 'idx' | 'check';

/**
 * The unqualified part of a possibly schema-qualified table name (`auth.users` → `users`).
 * Constraint and index names are per schema, so only the table's own name goes into them.
 */
export function unqualifiedTableName(tableName: string): string {
  const dot = tableName.lastIndexOf('.');
  return dot === -1 ? tableName : tableName.slice(dot + 1);
}

/**
 * Names a constraint or index the way PostgreSQL names them by default
 * (`accounts_provider_provider_account_id_key`), so both dialects and the adapters' error
 * mapping agree on one name. Names that would exceed 63 bytes are shortened with a stable
 * hash suffix instead of being silently truncated by the server (which would make two
 * names collide and the adapters' mapping miss).
 *
 * @example
 * constraintName('members', ['organization_id', 'user_id'], 'key'); // 'members_organization_id_user_id_key'
 */
export function constraintName(tableName: string, columns: readonly string[], kind: ConstraintKind): string {
  const table = unqualifiedTableName(tableName);
  const full = [table, ...columns, kind].join('_');
  if (Buffer.byteLength(full) <= maximumIdentifierBytes) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const tail = `_${hash}_${kind}`;
  let head = full.slice(0, maximumIdentifierBytes - tail.length);
  while (Buffer.byteLength(head) > maximumIdentifierBytes - tail.length) head = head.slice(0, -1);
  return `${head}${tail}`;
}

/**
 * Name of the partial unique index that allows one pending invitation per
 * (organization, email), shared by both dialects and the adapters' error mapping.
 *
 * @example
 * pendingInvitationIndexName('invitations'); // 'invitations_organization_id_email_pending_key'
 */
export function pendingInvitationIndexName(tableName: string): string {
  return constraintName(tableName, ['organization_id', 'email', 'pending'], 'key');
}
