import { sql } from 'kysely';
import { DuplicateMembershipError, OrganizationSlugTakenError } from '../errors/conflict-errors.js';
import { RecordNotFoundError } from '../errors/input-errors.js';
import { LastOwnerError } from '../errors/organization-rule-errors.js';
import { constraintName } from '../schema/constraint-names.js';
import { ownerRole } from '../schema/domain-values.js';
import { fieldLimits, optionalText, requireSlug, requireText, requireUuid } from '../validation/input-validation.js';
import { inTransaction, joinedReader, type AdapterContext } from './adapter-context.js';
import { isForeignKeyViolation, isUniqueViolation } from './database-errors.js';
import {
  appValues,
  decodeRow,
  deleteRowById,
  encodeValues,
  insertRow,
  selectRowWhere,
  updateRowById,
  type AppValues,
  type SqlRecord,
} from './record-operations.js';
import { toUser } from './user-operations.js';

const managedColumns = ['id', 'created_at', 'updated_at'];

function validateOrganizationValues(values: AppValues, partial: boolean): void {
  if (!partial || values.has('name')) requireText(values.name('name'), values.get('name'), fieldLimits.name);
  if (!partial || values.has('slug')) requireSlug(values.name('slug'), values.get('slug'));
  optionalText(values.name('logo'), values.get('logo'), fieldLimits.url);
}

function mapOrganizationConflict(context: AdapterContext, error: unknown): never {
  if (isUniqueViolation(error, constraintName(context.tables.organizations.tableName, ['slug'], 'key'))) {
    throw new OrganizationSlugTakenError({ cause: error });
  }
  throw error;
}

/** Maps the errors of inserting a membership. */
export function mapMemberConflict(context: AdapterContext, error: unknown, record: SqlRecord): never {
  const table = context.tables.members.tableName;
  if (isUniqueViolation(error, constraintName(table, ['organization_id', 'user_id'], 'key'))) {
    throw new DuplicateMembershipError({ cause: error });
  }
  if (isForeignKeyViolation(error, constraintName(table, ['organization_id'], 'fkey'))) {
    throw new RecordNotFoundError('organization', String(record.organization_id), { cause: error });
  }
  if (isForeignKeyViolation(error, constraintName(table, ['user_id'], 'fkey'))) {
    throw new RecordNotFoundError('user', String(record.user_id), { cause: error });
  }
  throw error;
}

export function validateRole(field: string, role: unknown): string {
  return requireText(field, role, fieldLimits.role);
}

export async function createOrganization(
  context: AdapterContext,
  values: unknown,
  options: { ownerId: unknown },
): Promise<{ organization: unknown; member: unknown }> {
  const input = appValues(context.tables.organizations, values);
  validateOrganizationValues(input, false);
  const ownerId = requireUuid('ownerId', options?.ownerId);
  const record = encodeValues(context.tables.organizations, input, managedColumns);
  return await inTransaction(context, async (scoped) => {
    let organization: SqlRecord;
    try {
      organization = await insertRow(scoped, 'organizations', record);
    } catch (error) {
      mapOrganizationConflict(scoped, error);
    }
    const memberRecord = { organization_id: organization.id, user_id: ownerId, role: ownerRole };
    let member: SqlRecord;
    try {
      member = await insertRow(scoped, 'members', memberRecord);
    } catch (error) {
      mapMemberConflict(scoped, error, memberRecord);
    }
    return { organization: decodeRow(scoped, 'organizations', organization), member: decodeRow(scoped, 'members', member) };
  });
}

export async function getOrganizationById(context: AdapterContext, id: unknown): Promise<unknown> {
  const row = await selectRowWhere(context, 'organizations', 'id', requireUuid('id', id));
  return row ? decodeRow(context, 'organizations', row) : null;
}

export async function getOrganizationBySlug(context: AdapterContext, slug: unknown): Promise<unknown> {
  const row = await selectRowWhere(context, 'organizations', 'slug', requireSlug('slug', slug));
  return row ? decodeRow(context, 'organizations', row) : null;
}

export async function updateOrganization(context: AdapterContext, id: unknown, values: unknown): Promise<unknown> {
  const organizationId = requireUuid('id', id);
  const input = appValues(context.tables.organizations, values);
  validateOrganizationValues(input, true);
  try {
    const row = await updateRowById(
      context,
      'organizations',
      organizationId,
      encodeValues(context.tables.organizations, input, managedColumns, 'update'),
    );
    if (!row) throw new RecordNotFoundError('organization', organizationId);
    return decodeRow(context, 'organizations', row);
  } catch (error) {
    mapOrganizationConflict(context, error);
  }
}

export async function deleteOrganization(context: AdapterContext, id: unknown): Promise<boolean> {
  // Members, invitations, teams and team members go with it (ON DELETE CASCADE); sessions
  // whose active organization it was get NULL when that foreign key is configured.
  return await deleteRowById(context, 'organizations', requireUuid('id', id));
}

export async function listOrganizationsForUser(
  context: AdapterContext,
  userId: unknown,
): Promise<{ organization: unknown; member: unknown }[]> {
  const user = requireUuid('userId', userId);
  const reader = joinedReader(
    context,
    'organizations-of-user',
    [
      { alias: 'o', codec: context.tables.organizations },
      { alias: 'm', codec: context.tables.members },
    ],
    {
      fromClause: (tables) =>
        `from ${tables.m} as "m" join ${tables.o} as "o" on "o"."id" = "m"."organization_id" where "m"."user_id" = $1 order by "o"."name", "o"."id"`,
    },
  );
  const rows = await reader.read(context.db, [user]);
  return rows.map(([organization, member]) => ({
    organization: decodeRow(context, 'organizations', organization!),
    member: decodeRow(context, 'members', member!),
  }));
}

// ── members ─────────────────────────────────────────────────────────────────────────

export async function addMember(context: AdapterContext, values: unknown): Promise<unknown> {
  const input = appValues(context.tables.members, values);
  requireUuid(input.name('organization_id'), input.get('organization_id'));
  requireUuid(input.name('user_id'), input.get('user_id'));
  if (input.has('role')) validateRole(input.name('role'), input.get('role'));
  const record = encodeValues(context.tables.members, input, managedColumns);
  try {
    return decodeRow(context, 'members', await insertRow(context, 'members', record));
  } catch (error) {
    mapMemberConflict(context, error, record);
  }
}

export async function getMember(context: AdapterContext, organizationId: unknown, userId: unknown): Promise<unknown> {
  const row = (await context.db
    .selectFrom(context.tables.members.tableName)
    .selectAll()
    .where('organization_id', '=', requireUuid('organizationId', organizationId))
    .where('user_id', '=', requireUuid('userId', userId))
    .executeTakeFirst()) as SqlRecord | undefined;
  return row ? decodeRow(context, 'members', row) : null;
}

export async function listMembers(context: AdapterContext, organizationId: unknown): Promise<{ member: unknown; user: unknown }[]> {
  const organization = requireUuid('organizationId', organizationId);
  const reader = joinedReader(
    context,
    'members-with-users',
    [
      { alias: 'm', codec: context.tables.members },
      { alias: 'u', codec: context.tables.users },
    ],
    {
      fromClause: (tables) =>
        `from ${tables.m} as "m" join ${tables.u} as "u" on "u"."id" = "m"."user_id" where "m"."organization_id" = $1 order by "m"."created_at", "m"."id"`,
    },
  );
  const rows = await reader.read(context.db, [organization]);
  return rows.map(([member, user]) => ({ member: decodeRow(context, 'members', member!), user: toUser(context, user!) }));
}

/**
 * Locks the organization row for the rest of the transaction, so membership changes of one
 * organization run one after the other: two owners demoting each other concurrently must
 * not both see "another owner is left". FOR NO KEY UPDATE still lets other transactions
 * insert rows that reference the organization.
 */
async function lockOrganization(context: AdapterContext, organizationId: string): Promise<void> {
  const row = await context.db
    .selectFrom(context.tables.organizations.tableName)
    .select('id')
    .where('id', '=', organizationId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!row) throw new RecordNotFoundError('organization', organizationId);
}

async function ownerCount(context: AdapterContext, organizationId: string): Promise<number> {
  const row = await context.db
    .selectFrom(context.tables.members.tableName)
    .select(sql<string>`count(*)`.as('owners'))
    .where('organization_id', '=', organizationId)
    .where('role', '=', ownerRole)
    .executeTakeFirstOrThrow();
  return Number(row.owners);
}

export async function updateMemberRole(
  context: AdapterContext,
  organizationId: unknown,
  userId: unknown,
  role: unknown,
): Promise<unknown> {
  const organization = requireUuid('organizationId', organizationId);
  const user = requireUuid('userId', userId);
  const newRole = validateRole('role', role);
  return await inTransaction(context, async (scoped) => {
    await lockOrganization(scoped, organization);
    const member = (await scoped.db
      .selectFrom(scoped.tables.members.tableName)
      .selectAll()
      .where('organization_id', '=', organization)
      .where('user_id', '=', user)
      .executeTakeFirst()) as SqlRecord | undefined;
    if (!member) throw new RecordNotFoundError('member', user);
    if (member.role === ownerRole && newRole !== ownerRole && (await ownerCount(scoped, organization)) <= 1) {
      throw new LastOwnerError(organization);
    }
    const row = await updateRowById(scoped, 'members', member.id as string, { role: newRole });
    return decodeRow(scoped, 'members', row!);
  });
}

export async function removeMember(context: AdapterContext, organizationId: unknown, userId: unknown): Promise<boolean> {
  const organization = requireUuid('organizationId', organizationId);
  const user = requireUuid('userId', userId);
  return await inTransaction(context, async (scoped) => {
    await lockOrganization(scoped, organization);
    const member = (await scoped.db
      .selectFrom(scoped.tables.members.tableName)
      .select(['id', 'role'])
      .where('organization_id', '=', organization)
      .where('user_id', '=', user)
      .executeTakeFirst()) as { id: string; role: string } | undefined;
    if (!member) return false;
    if (member.role === ownerRole && (await ownerCount(scoped, organization)) <= 1) throw new LastOwnerError(organization);
    // The member's team memberships reference (organization_id, user_id) ON DELETE CASCADE:
    // they are removed by this same statement.
    await scoped.db.deleteFrom(scoped.tables.members.tableName).where('id', '=', member.id).execute();
    return true;
  });
}
