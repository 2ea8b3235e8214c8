export { organizationScopedIdColumn, primaryKeyColumn, timestampColumns } from './kysely/base-columns.js';
export {
  accountColumns,
  oauthStateColumns,
  sessionColumns,
  userColumns,
  verificationTokenColumns,
  type ReferencedTables,
  type SessionColumnsOptions,
} from './kysely/auth-columns.js';
export { roleColumns, userRoleColumns } from './kysely/role-columns.js';
export {
  invitationColumns,
  memberColumns,
  organizationColumns,
  type InvitationColumnsOptions,
} from './kysely/organization-columns.js';
export { teamColumns, teamMemberColumns } from './kysely/team-columns.js';
export {
  accountIndexes,
  invitationIndexes,
  memberIndexes,
  oauthStateIndexes,
  sessionIndexes,
  teamIndexes,
  teamMemberIndexes,
  userRoleIndexes,
  verificationTokenIndexes,
  type IndexBuilders,
} from './kysely/index-builders.js';
export { createCitextExtensionSql, ensureCitextExtension } from './kysely/citext-extension.js';
export type {
  AccountTable,
  InvitationTable,
  MemberTable,
  OAuthStateTable,
  OrganizationTable,
  PrimaryKeyColumn,
  RoleTable,
  SessionTable,
  TeamMemberTable,
  TeamTable,
  TimestampColumns,
  UserRoleTable,
  UserTable,
  VerificationTokenTable,
} from './schema/table-types.js';
export {
  defaultTableNames,
  type AllTableNames,
  type AuthTableNames,
  type OrganizationTableNames,
  type TeamTableNames,
} from './schema/table-names.js';
export {
  invitationStatuses,
  ownerRole,
  verificationPurposes,
  type InvitationStatus,
  type MemberRole,
  type VerificationPurpose,
} from './schema/domain-values.js';
export { constraintName, pendingInvitationIndexName, type ConstraintKind } from './schema/constraint-names.js';
export { AuthSchemaError } from './errors/auth-schema-error.js';
export { InvalidInputError, RecordNotFoundError } from './errors/input-errors.js';
export {
  AccountAlreadyLinkedError,
  DuplicateMembershipError,
  DuplicatePendingInvitationError,
  DuplicateTeamMembershipError,
  EmailAlreadyInUseError,
  OrganizationSlugTakenError,
  RoleNameTakenError,
} from './errors/conflict-errors.js';
export {
  InvitationEmailMismatchError,
  InvitationExpiredError,
  InvitationNotPendingError,
  LastOwnerError,
  NotOrganizationMemberError,
} from './errors/organization-rule-errors.js';
export { ExtensionUnavailableError } from './errors/extension-unavailable-error.js';
export {
  AuthAdapter,
  createAuthAdapter,
  type AuthAdapterOptions,
  type AuthTables,
  type AuthTypes,
  type AuthTypesOf,
  type CreateOAuthStateValues,
  type CreateSessionValues,
  type CreateVerificationTokenValues,
} from './adapter/auth-adapter.js';
export {
  OrganizationAdapter,
  createOrganizationAdapter,
  type CreateInvitationValues,
  type OrganizationAdapterOptions,
  type OrganizationTables,
  type OrganizationTypes,
  type OrganizationTypesOf,
} from './adapter/organization-adapter.js';
export { TeamAdapter, createTeamAdapter, type TeamTables, type TeamTypes, type TeamTypesOf } from './adapter/team-adapter.js';
export type { SessionPolicy } from './adapter/session-operations.js';
export type {
  TokenLifetimeOptions,
  VerificationTokenMatch,
  VerificationTokenOptions,
} from './adapter/single-use-token-operations.js';
export type { TableCodec } from './adapter/table-codec.js';
export type { InsertOf, RowOf, TableSource, UpdateOf } from './adapter/adapter-types.js';
export { generateToken, hashToken } from './adapter/secret-token.js';
