import { sql } from 'kysely';
import { DuplicatePendingInvitationError } from '../errors/conflict-errors.js';
import { RecordNotFoundError } from '../errors/input-errors.js';
import {
  InvitationEmailMismatchError,
  InvitationExpiredError,
  InvitationNotPendingError,
} from '../errors/organization-rule-errors.js';
import { constraintName, pendingInvitationIndexName } from '../schema/constraint-names.js';
import { invitationStatuses, type InvitationStatus } from '../schema/domain-values.js';
import { InvalidInputError } from '../errors/input-errors.js';
import {
  optionalDate,
  optionalUuid,
  requireDurationSeconds,
  requireEmail,
  requireUuid,
} from '../validation/input-validation.js';
import { inTransaction, type AdapterContext } from './adapter-context.js';
import { isForeignKeyViolation, isUniqueViolation } from './database-errors.js';
import { mapMemberConflict, validateRole } from './organization-operations.js';
import { appValues, decodeRow, encodeValues, insertRow, selectRowWhere, type SqlRecord } from './record-operations.js';
import { addTeamMembership } from './team-operations.js';

/** Default lifetime of an invitation: 7 days. */
const defaultInvitationSeconds = 7 * 24 * 3600;

function mapInvitationWriteError(context: AdapterContext, error: unknown, record: SqlRecord): never {
  const table = context.tables.invitations.tableName;
  if (isUniqueViolation(error, pendingInvitationIndexName(table))) throw new DuplicatePendingInvitationError({ cause: error });
  if (isForeignKeyViolation(error, constraintName(table, ['organization_id'], 'fkey'))) {
    throw new RecordNotFoundError('organization', String(record.organization_id), { cause: error });
  }
  if (isForeignKeyViolation(error, constraintName(table, ['inviter_id'], 'fkey'))) {
    throw new RecordNotFoundError('user', String(record.inviter_id), { cause: error });
  }
  if (isForeignKeyViolation(error, constraintName(table, ['organization_id', 'team_id'], 'fkey'))) {
    throw new RecordNotFoundError('team', String(record.team_id), { cause: error });
  }
  throw error;
}

export async function createInvitation(
  context: AdapterContext,
  values: unknown,
  options: { expiresInSeconds?: number } = {},
): Promise<unknown> {
  const input = appValues(context.tables.invitations, values);
  const organizationId = requireUuid(input.name('organization_id'), input.get('organization_id'));
  const email = requireEmail(input.name('email'), input.get('email'));
  if (input.has('role')) validateRole(input.name('role'), input.get('role'));
  optionalUuid(input.name('inviter_id'), input.get('inviter_id'));
  optionalUuid(input.name('team_id'), input.get('team_id'));
  optionalDate(input.name('expires_at'), input.get('expires_at'));
  const record = encodeValues(context.tables.invitations, input, ['id', 'status', 'created_at', 'updated_at']);
  if (record.expires_at === undefined) {
    const seconds = requireDurationSeconds(
      'expiresInSeconds',
      options.expiresInSeconds ?? (context.settings.invitationSeconds as number | undefined) ?? defaultInvitationSeconds,
    );
    record.expires_at = new Date(Date.now() + seconds * 1000);
  }
  try {
    const row = await inTransaction(context, async (scoped) => {
      // An expired invitation still pending would block a new one through the partial
      // unique index: it can never be accepted, so it is canceled first.
      await scoped.db
        .updateTable(scoped.tables.invitations.tableName)
        .set({ status: 'canceled', updated_at: sql`now()` })
        .where('organization_id', '=', organizationId)
        .where('email', '=', email)
        .where('status', '=', 'pending')
        .where('expires_at', '<=', sql<Date>`now()`)
        .execute();
      return await insertRow(scoped, 'invitations', record);
    });
    return decodeRow(context, 'invitations', row);
  } catch (error) {
    mapInvitationWriteError(context, error, record);
  }
}

export async function getInvitation(context: AdapterContext, id: unknown): Promise<unknown> {
  const row = await selectRowWhere(context, 'invitations', 'id', requireUuid('id', id));
  return row ? decodeRow(context, 'invitations', row) : null;
}

export async function listInvitations(
  context: AdapterContext,
  organizationId: unknown,
  options: { status?: InvitationStatus } = {},
): Promise<unknown[]> {
  let query = context.db
    .selectFrom(context.tables.invitations.tableName)
    .selectAll()
    .where('organization_id', '=', requireUuid('organizationId', organizationId));
  if (options.status !== undefined) {
    if (!invitationStatuses.includes(options.status)) throw new InvalidInputError('status', 'not an invitation status');
    query = query.where('status', '=', options.status);
  }
  const rows = (await query.orderBy('created_at').orderBy('id').execute()) as SqlRecord[];
  return rows.map((row) => decodeRow(context, 'invitations', row));
}

export async function listPendingInvitationsForEmail(context: AdapterContext, email: unknown): Promise<unknown[]> {
  const rows = (await context.db
    .selectFrom(context.tables.invitations.tableName)
    .selectAll()
    .where('email', '=', requireEmail('email', email))
    .where('status', '=', 'pending')
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at')
    .execute()) as SqlRecord[];
  return rows.map((row) => decodeRow(context, 'invitations', row));
}

/** Explains why a pending-only transition matched no row, as a typed error. */
async function explainNotPending(context: AdapterContext, invitationId: string, userEmail?: string): Promise<never> {
  const row = await selectRowWhere(context, 'invitations', 'id', invitationId);
  if (!row) throw new RecordNotFoundError('invitation', invitationId);
  if (row.status !== 'pending') throw new InvitationNotPendingError(invitationId, row.status as InvitationStatus);
  if ((row.expires_at as Date).getTime() <= Date.now()) throw new InvitationExpiredError(invitationId);
  if (userEmail !== undefined) throw new InvitationEmailMismatchError(invitationId);
  // The row changed between the two statements; the caller may retry.
  throw new InvitationNotPendingError(invitationId, row.status as InvitationStatus);
}

/**
 * Accepts an invitation: in one transaction, the status goes from pending to accepted
 * (`UPDATE … WHERE status = 'pending' AND expires_at > now() AND email = <user's email>`) and
 * the membership is inserted (plus the team membership when the invitation names a team and
 * teams are on). Concurrent accepts queue on the row lock; only the first finds it pending.
 */
export async function acceptInvitation(
  context: AdapterContext,
  invitationId: unknown,
  userId: unknown,
): Promise<{ invitation: unknown; member: unknown }> {
  const id = requireUuid('invitationId', invitationId);
  const user = requireUuid('userId', userId);
  return await inTransaction(context, async (scoped) => {
    const userRow = await selectRowWhere(scoped, 'users', 'id', user);
    if (!userRow) throw new RecordNotFoundError('user', user);
    const userEmail = userRow.email as string;
    const invitation = (await scoped.db
      .updateTable(scoped.tables.invitations.tableName)
      .set({ status: 'accepted', updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('expires_at', '>', sql<Date>`now()`)
      .where('email', '=', userEmail)
      .returningAll()
      .executeTakeFirst()) as SqlRecord | undefined;
    if (!invitation) return await explainNotPending(scoped, id, userEmail);
    const memberRecord = { organization_id: invitation.organization_id, user_id: user, role: invitation.role };
    let member: SqlRecord;
    try {
      member = await insertRow(scoped, 'members', memberRecord);
    } catch (error) {
      mapMemberConflict(scoped, error, memberRecord);
    }
    if (scoped.settings.teams === true && typeof invitation.team_id === 'string') {
      await addTeamMembership(scoped, { team_id: invitation.team_id, organization_id: invitation.organization_id, user_id: user });
    }
    return { invitation: decodeRow(scoped, 'invitations', invitation), member: decodeRow(scoped, 'members', member) };
  });
}

async function closeInvitation(context: AdapterContext, invitationId: unknown, status: 'rejected' | 'canceled'): Promise<unknown> {
  const id = requireUuid('invitationId', invitationId);
  const row = (await context.db
    .updateTable(context.tables.invitations.tableName)
    .set({ status, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst()) as SqlRecord | undefined;
  if (!row) {
    const existing = await selectRowWhere(context, 'invitations', 'id', id);
    if (!existing) throw new RecordNotFoundError('invitation', id);
    throw new InvitationNotPendingError(id, existing.status as InvitationStatus);
  }
  return decodeRow(context, 'invitations', row);
}

export async function rejectInvitation(context: AdapterContext, invitationId: unknown): Promise<unknown> {
  return await closeInvitation(context, invitationId, 'rejected');
}

export async function cancelInvitation(context: AdapterContext, invitationId: unknown): Promise<unknown> {
  return await closeInvitation(context, invitationId, 'canceled');
}

export async function cancelExpiredInvitations(context: AdapterContext): Promise<number> {
  const result = await context.db
    .updateTable(context.tables.invitations.tableName)
    .set({ status: 'canceled', updated_at: sql`now()` })
    .where('status', '=', 'pending')
    .where('expires_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
