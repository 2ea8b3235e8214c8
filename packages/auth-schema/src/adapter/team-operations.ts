import { DuplicateTeamMembershipError } from '../errors/conflict-errors.js';
import { RecordNotFoundError } from '../errors/input-errors.js';
import { NotOrganizationMemberError } from '../errors/organization-rule-errors.js';
import { constraintName } from '../schema/constraint-names.js';
import { fieldLimits, requireText, requireUuid } from '../validation/input-validation.js';
import { joinedReader, type AdapterContext } from './adapter-context.js';
import { isForeignKeyViolation, isUniqueViolation } from './database-errors.js';
import {
  appValues,
  decodeRow,
  deleteRowById,
  encodeValues,
  insertRow,
  selectRowWhere,
  updateRowById,
  type SqlRecord,
} from './record-operations.js';
import { toUser } from './user-operations.js';

const managedColumns = ['id', 'created_at', 'updated_at'];

export async function createTeam(context: AdapterContext, values: unknown): Promise<unknown> {
  const input = appValues(context.tables.teams, values);
  const organizationId = requireUuid(input.name('organization_id'), input.get('organization_id'));
  requireText(input.name('name'), input.get('name'), fieldLimits.name);
  try {
    return decodeRow(context, 'teams', await insertRow(context, 'teams', encodeValues(context.tables.teams, input, managedColumns)));
  } catch (error) {
    if (isForeignKeyViolation(error, constraintName(context.tables.teams.tableName, ['organization_id'], 'fkey'))) {
      throw new RecordNotFoundError('organization', organizationId, { cause: error });
    }
    throw error;
  }
}

export async function getTeam(context: AdapterContext, id: unknown): Promise<unknown> {
  const row = await selectRowWhere(context, 'teams', 'id', requireUuid('id', id));
  return row ? decodeRow(context, 'teams', row) : null;
}

export async function listTeams(context: AdapterContext, organizationId: unknown): Promise<unknown[]> {
  const rows = (await context.db
    .selectFrom(context.tables.teams.tableName)
    .selectAll()
    .where('organization_id', '=', requireUuid('organizationId', organizationId))
    .orderBy('name')
    .orderBy('id')
    .execute()) as SqlRecord[];
  return rows.map((row) => decodeRow(context, 'teams', row));
}

export async function updateTeam(context: AdapterContext, id: unknown, values: unknown): Promise<unknown> {
  const teamId = requireUuid('id', id);
  const input = appValues(context.tables.teams, values);
  if (input.has('name')) requireText(input.name('name'), input.get('name'), fieldLimits.name);
  // A team never moves to another organization: its members' rows carry the organization.
  const record = encodeValues(context.tables.teams, input, [...managedColumns, 'organization_id'], 'update');
  const row = await updateRowById(context, 'teams', teamId, record);
  if (!row) throw new RecordNotFoundError('team', teamId);
  return decodeRow(context, 'teams', row);
}

export async function deleteTeam(context: AdapterContext, id: unknown): Promise<boolean> {
  // Team members and invitations naming the team go with it (ON DELETE CASCADE).
  return await deleteRowById(context, 'teams', requireUuid('id', id));
}

/** Inserts a team membership (SQL record with organization_id filled in), mapping errors. */
export async function addTeamMembership(context: AdapterContext, record: SqlRecord): Promise<SqlRecord> {
  const table = context.tables.teamMembers.tableName;
  try {
    return await insertRow(context, 'teamMembers', record);
  } catch (error) {
    if (isUniqueViolation(error, constraintName(table, ['organization_id', 'team_id', 'user_id'], 'key'))) {
      throw new DuplicateTeamMembershipError({ cause: error });
    }
    if (isForeignKeyViolation(error, constraintName(table, ['organization_id', 'user_id'], 'fkey'))) {
      throw new NotOrganizationMemberError({ cause: error });
    }
    if (isForeignKeyViolation(error, constraintName(table, ['organization_id', 'team_id'], 'fkey'))) {
      throw new RecordNotFoundError('team', String(record.team_id), { cause: error });
    }
    throw error;
  }
}

export async function addTeamMember(context: AdapterContext, values: unknown): Promise<unknown> {
  const input = appValues(context.tables.teamMembers, values);
  const teamId = requireUuid(input.name('team_id'), input.get('team_id'));
  requireUuid(input.name('user_id'), input.get('user_id'));
  const record = encodeValues(context.tables.teamMembers, input, [...managedColumns, 'organization_id']);
  const team = await context.db
    .selectFrom(context.tables.teams.tableName)
    .select('organization_id')
    .where('id', '=', teamId)
    .executeTakeFirst();
  if (!team) throw new RecordNotFoundError('team', teamId);
  // The organization comes from the team; the composite foreign keys then make the
  // database itself refuse a user who is not a member of that organization.
  const row = await addTeamMembership(context, { ...record, organization_id: team.organization_id });
  return decodeRow(context, 'teamMembers', row);
}

export async function removeTeamMember(context: AdapterContext, teamId: unknown, userId: unknown): Promise<boolean> {
  const result = await context.db
    .deleteFrom(context.tables.teamMembers.tableName)
    .where('team_id', '=', requireUuid('teamId', teamId))
    .where('user_id', '=', requireUuid('userId', userId))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listTeamMembers(context: AdapterContext, teamId: unknown): Promise<{ teamMember: unknown; user: unknown }[]> {
  const team = requireUuid('teamId', teamId);
  const reader = joinedReader(
    context,
    'team-members-with-users',
    [
      { alias: 't', codec: context.tables.teamMembers },
      { alias: 'u', codec: context.tables.users },
    ],
    {
      fromClause: (tables) =>
        `from ${tables.t} as "t" join ${tables.u} as "u" on "u"."id" = "t"."user_id" where "t"."team_id" = $1 order by "t"."created_at", "t"."id"`,
    },
  );
  const rows = await reader.read(context.db, [team]);
  return rows.map(([teamMember, user]) => ({
    teamMember: decodeRow(context, 'teamMembers', teamMember!),
    user: toUser(context, user!),
  }));
}

export async function listTeamsForUser(context: AdapterContext, organizationId: unknown, userId: unknown): Promise<unknown[]> {
  const rows = (await context.db
    .selectFrom(`${context.tables.teams.tableName} as t`)
    .innerJoin(`${context.tables.teamMembers.tableName} as tm`, 'tm.team_id', 't.id')
    .selectAll('t')
    .where('tm.organization_id', '=', requireUuid('organizationId', organizationId))
    .where('tm.user_id', '=', requireUuid('userId', userId))
    .orderBy('t.name')
    .execute()) as SqlRecord[];
  return rows.map((row) => decodeRow(context, 'teams', row));
}
