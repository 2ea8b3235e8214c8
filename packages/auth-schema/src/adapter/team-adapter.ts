import type { GeneratedKeys, InsertOf, RowOf, SourceOf, TableSource, UpdateOf, Without } from './adapter-types.js';
import {
  OrganizationAdapter,
  type OrganizationAdapterOptions,
  type OrganizationTables,
  type OrganizationTypes,
  type OrganizationTypesOf,
} from './organization-adapter.js';
import * as teams from './team-operations.js';

/**
 * The app's tables for the team adapter (the organization tables plus teams).
 *
 * @example
 * const tables = { users: 'app_users', teamMembers: 'team_memberships' } satisfies TeamTables<Database>;
 */
export interface TeamTables<DB> extends OrganizationTables<DB> {
  readonly teams?: TableSource<DB>;
  readonly teamMembers?: TableSource<DB>;
}

/**
 * The row and insert types of the app's organization and team tables.
 *
 * @example
 * function roster<Types extends TeamTypes>(orgs: TeamAdapter<Types>) { … }
 */
export interface TeamTypes extends OrganizationTypes {
  team: object;
  teamInsert: object;
  teamUpdate: object;
  teamMember: object;
  teamMemberInsert: object;
}

/**
 * `TeamTypes` computed from the app's Kysely `Database` and its table configuration.
 *
 * @example
 * type Team = TeamTypesOf<Database, {}>['team'];
 */
export type TeamTypesOf<DB, Tables> = OrganizationTypesOf<DB, Tables> & {
  team: RowOf<DB, SourceOf<Tables, 'teams'>>;
  teamInsert: InsertOf<DB, SourceOf<Tables, 'teams'>>;
  teamUpdate: UpdateOf<DB, SourceOf<Tables, 'teams'>>;
  teamMember: RowOf<DB, SourceOf<Tables, 'teamMembers'>>;
  teamMemberInsert: InsertOf<DB, SourceOf<Tables, 'teamMembers'>>;
};

type OrganizationKeys = 'organization_id' | 'organizationId';

/**
 * Everything `OrganizationAdapter` does, plus teams. A team member is always a member of
 * the team's organization: the database enforces it (composite foreign keys carrying the
 * organization id, `NotOrganizationMemberError`), removing the member removes their team
 * memberships in the same statement, and accepting an invitation that names a team adds the
 * team membership in the same transaction.
 *
 * @example
 * const orgs = createTeamAdapter({ db });
 * const team = await orgs.createTeam({ organization_id: organization.id, name: 'Platform' });
 * await orgs.addTeamMember({ team_id: team.id, user_id: user.id });
 */
export class TeamAdapter<Types extends TeamTypes = TeamTypes, TUser = Types['user']> extends OrganizationAdapter<Types, TUser> {
  /** Use `createTeamAdapter` (it computes the types from the app's schema). */
  constructor(options: OrganizationAdapterOptions<any, any, any>) {
    super(options, { teams: true });
  }

  /**
   * Creates a team; `RecordNotFoundError` for an unknown organization.
   *
   * @example
   * const team = await orgs.createTeam({ organization_id: organization.id, name: 'Platform' });
   */
  async createTeam(values: Without<Types['teamInsert'], GeneratedKeys>): Promise<Types['team']> {
    return (await teams.createTeam(this.context, values)) as Types['team'];
  }

  /**
   * The team with this id, or `null`.
   *
   * @example
   * const team = await orgs.getTeam(id);
   */
  async getTeam(id: string): Promise<Types['team'] | null> {
    return (await teams.getTeam(this.context, id)) as Types['team'] | null;
  }

  /**
   * The organization's teams, by name.
   *
   * @example
   * const all = await orgs.listTeams(organizationId);
   */
  async listTeams(organizationId: string): Promise<Types['team'][]> {
    return (await teams.listTeams(this.context, organizationId)) as Types['team'][];
  }

  /**
   * Renames (or otherwise updates) a team; it never moves to another organization.
   *
   * @example
   * await orgs.updateTeam(team.id, { name: 'Infrastructure' });
   */
  async updateTeam(id: string, values: Without<Types['teamUpdate'], GeneratedKeys | OrganizationKeys>): Promise<Types['team']> {
    return (await teams.updateTeam(this.context, id, values)) as Types['team'];
  }

  /**
   * Deletes a team with its memberships and the invitations naming it; whether it existed.
   *
   * @example
   * await orgs.deleteTeam(team.id);
   */
  async deleteTeam(id: string): Promise<boolean> {
    return await teams.deleteTeam(this.context, id);
  }

  /**
   * Adds a member of the team's organization to the team (the organization id is taken
   * from the team). `NotOrganizationMemberError`, `DuplicateTeamMembershipError`,
   * `RecordNotFoundError` for an unknown team.
   *
   * @example
   * await orgs.addTeamMember({ team_id: team.id, user_id: user.id });
   */
  async addTeamMember(values: Without<Types['teamMemberInsert'], GeneratedKeys | OrganizationKeys>): Promise<Types['teamMember']> {
    return (await teams.addTeamMember(this.context, values)) as Types['teamMember'];
  }

  /**
   * Removes a user from a team; whether they were in it.
   *
   * @example
   * await orgs.removeTeamMember(team.id, user.id);
   */
  async removeTeamMember(teamId: string, userId: string): Promise<boolean> {
    return await teams.removeTeamMember(this.context, teamId, userId);
  }

  /**
   * The team's members with their users (one statement).
   *
   * @example
   * const people = await orgs.listTeamMembers(team.id);
   */
  async listTeamMembers(teamId: string): Promise<{ teamMember: Types['teamMember']; user: TUser }[]> {
    return (await teams.listTeamMembers(this.context, teamId)) as { teamMember: Types['teamMember']; user: TUser }[];
  }

  /**
   * The teams of one organization a user is in.
   *
   * @example
   * const mine = await orgs.listTeamsForUser(organizationId, user.id);
   */
  async listTeamsForUser(organizationId: string, userId: string): Promise<Types['team'][]> {
    return (await teams.listTeamsForUser(this.context, organizationId, userId)) as Types['team'][];
  }
}

/**
 * Creates a `TeamAdapter` (organizations, members, invitations and teams) over the app's
 * tables, typed from its schema.
 *
 * @example
 * const orgs = createTeamAdapter({ db, tables: { users: 'app_users' } });
 */
export function createTeamAdapter<
  DB,
  const Tables extends TeamTables<NoInfer<DB>> = {},
  TUser = RowOf<DB, SourceOf<Tables, 'users'>>,
>(options: OrganizationAdapterOptions<DB, Tables, TUser>): TeamAdapter<TeamTypesOf<DB, Tables>, TUser> {
  return new TeamAdapter<TeamTypesOf<DB, Tables>, TUser>(options);
}
