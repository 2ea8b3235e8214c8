import { AuthSchemaError } from './auth-schema-error.js';

/** Options shared by the conflict errors: the database error they translate. */
interface ConflictOptions {
  readonly cause?: unknown;
}

/**
 * Another user already has this email (compared case-insensitively: the column is `citext`).
 *
 * @example
 * catch (error) { if (error instanceof EmailAlreadyInUseError) reply(409) }
 */
export class EmailAlreadyInUseError extends AuthSchemaError {
  constructor(options: ConflictOptions = {}) {
    super('A user with this email already exists', { code: 'STRATA_AUTH_EMAIL_IN_USE', ...options });
  }
}

/**
 * This provider account is already linked to a user (unique `(provider, provider_account_id)`).
 *
 * @example
 * catch (error) { if (error instanceof AccountAlreadyLinkedError) reply(409) }
 */
export class AccountAlreadyLinkedError extends AuthSchemaError {
  constructor(options: ConflictOptions = {}) {
    super('This provider account is already linked to a user', { code: 'STRATA_AUTH_ACCOUNT_LINKED', ...options });
  }
}

/**
 * A role with this name exists already.
 *
 * @example
 * catch (error) { if (error instanceof RoleNameTakenError) reply(409) }
 */
export class RoleNameTakenError extends AuthSchemaError {
  constructor(options: ConflictOptions = {}) {
    super('A role with this name already exists', { code: 'STRATA_AUTH_ROLE_NAME_TAKEN', ...options });
  }
}

/**
 * Another organization has this slug (compared case-insensitively).
 *
 * @example
 * catch (error) { if (error instanceof OrganizationSlugTakenError) reply(409) }
 */
export class OrganizationSlugTakenError extends AuthSchemaError {
  constructor(options: ConflictOptions = {}) {
    super('An organization with this slug already exists', { code: 'STRATA_AUTH_SLUG_TAKEN', ...options });
  }
}

/**
 * The user is already a member of the organization (unique `(organization_id, user_id)`).
 *
 * @example
 * catch (error) { if (error instanceof DuplicateMembershipError) reply(409) }
 */
export class DuplicateMembershipError extends AuthSchemaError {
  constructor(options: ConflictOptions = {}) {
    super('The user is already a member of this organization', { code: 'STRATA_AUTH_DUPLICATE_MEMBERSHIP', ...options });
  }
}

/**
 * A pending invitation for this email (case-insensitive) to this organization exists
 * already; the partial unique index allows only one.
 *
 * @example
 * catch (error) { if (error instanceof DuplicatePendingInvitationError) reply(409) }
 */
export class DuplicatePendingInvitationError extends AuthSchemaError {
  constructor(options: ConflictOptions = {}) {
    super('A pending invitation for this email to this organization already exists', {
      code: 'STRATA_AUTH_DUPLICATE_INVITATION',
      ...options,
    });
  }
}

/**
 * The user is already a member of the team.
 *
 * @example
 * catch (error) { if (error instanceof DuplicateTeamMembershipError) reply(409) }
 */
export class DuplicateTeamMembershipError extends AuthSchemaError {
  constructor(options: ConflictOptions = {}) {
    super('The user is already a member of this team', { code: 'STRATA_AUTH_DUPLICATE_TEAM_MEMBERSHIP', ...options });
  }
}
