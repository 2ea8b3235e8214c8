/**
 * The tables of the auth part (users, accounts, sessions, OAuth states, verification
 * tokens, roles). Each value is the app's table name, optionally schema-qualified
 * (`auth.users`).
 *
 * @example
 * const names: AuthTableNames = { ...defaultTableNames, users: 'app_users' };
 */
export interface AuthTableNames {
  readonly users: string;
  readonly accounts: string;
  readonly sessions: string;
  readonly oauthStates: string;
  readonly verificationTokens: string;
  readonly roles: string;
  readonly userRoles: string;
}

/**
 * The tables of the organization part.
 *
 * @example
 * const names: OrganizationTableNames = { ...defaultTableNames, members: 'organization_members' };
 */
export interface OrganizationTableNames {
  readonly users: string;
  readonly organizations: string;
  readonly members: string;
  readonly invitations: string;
}

/**
 * The tables of the team part (the organization part plus teams).
 *
 * @example
 * const names: TeamTableNames = { ...defaultTableNames, teamMembers: 'team_memberships' };
 */
export interface TeamTableNames extends OrganizationTableNames {
  readonly teams: string;
  readonly teamMembers: string;
}

/**
 * Every table the building blocks know, by role.
 *
 * @example
 * const names: AllTableNames = { ...defaultTableNames, users: 'app_users' };
 */
export type AllTableNames = AuthTableNames & TeamTableNames;

/**
 * The table names used when the app does not name its own. Apps override any of them in
 * the mixins' options and in the adapters' `tables`.
 *
 * @example
 * const tables = { ...defaultTableNames, users: 'app_users' };
 */
export const defaultTableNames = {
  users: 'users',
  accounts: 'accounts',
  sessions: 'sessions',
  oauthStates: 'oauth_states',
  verificationTokens: 'verification_tokens',
  roles: 'roles',
  userRoles: 'user_roles',
  organizations: 'organizations',
  members: 'members',
  invitations: 'invitations',
  teams: 'teams',
  teamMembers: 'team_members',
} as const satisfies AllTableNames;
