export { bytea, citext } from './drizzle/column-types.js';
export { organizationScopedIdColumn, primaryKeyColumn, timestampColumns } from './drizzle/base-columns.js';
export {
  accountColumns,
  oauthStateColumns,
  roleColumns,
  sessionColumns,
  userColumns,
  userRoleColumns,
  verificationTokenColumns,
} from './drizzle/auth-columns.js';
export {
  invitationColumns,
  memberColumns,
  organizationColumns,
  teamColumns,
  teamMemberColumns,
} from './drizzle/organization-columns.js';
export {
  accountConstraints,
  invitationConstraints,
  memberConstraints,
  oauthStateConstraints,
  organizationConstraints,
  roleConstraints,
  sessionConstraints,
  teamConstraints,
  teamMemberConstraints,
  userConstraints,
  userRoleConstraints,
  verificationTokenConstraints,
} from './drizzle/table-constraints.js';
export { createCitextExtensionSql } from './kysely/citext-extension.js';
export { drizzleAuthTables, drizzleTableCodec, type DrizzleTableCodecs } from './drizzle/drizzle-table-codec.js';
