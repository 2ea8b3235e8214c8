import type { InvitationStatus } from '../schema/domain-values.js';
import { AuthSchemaError } from './auth-schema-error.js';

/**
 * The operation would leave the organization without an owner: the last owner can be
 * neither removed nor demoted. Transfer ownership first.
 *
 * @example
 * catch (error) { if (error instanceof LastOwnerError) reply(409, 'transfer ownership first') }
 */
export class LastOwnerError extends AuthSchemaError {
  readonly organizationId: string;

  constructor(organizationId: string) {
    super(`Organization ${organizationId} must keep at least one owner`, { code: 'STRATA_AUTH_LAST_OWNER' });
    this.organizationId = organizationId;
  }
}

/**
 * The invitation is no longer pending (already accepted, rejected or canceled), so it
 * cannot be accepted, rejected or canceled again.
 *
 * @example
 * catch (error) { if (error instanceof InvitationNotPendingError) reply(410, error.status) }
 */
export class InvitationNotPendingError extends AuthSchemaError {
  readonly invitationId: string;
  readonly status: InvitationStatus;

  constructor(invitationId: string, status: InvitationStatus) {
    super(`Invitation ${invitationId} is ${status}, not pending`, { code: 'STRATA_AUTH_INVITATION_NOT_PENDING' });
    this.invitationId = invitationId;
    this.status = status;
  }
}

/**
 * The invitation has expired and can no longer be accepted.
 *
 * @example
 * catch (error) { if (error instanceof InvitationExpiredError) reply(410) }
 */
export class InvitationExpiredError extends AuthSchemaError {
  readonly invitationId: string;

  constructor(invitationId: string) {
    super(`Invitation ${invitationId} has expired`, { code: 'STRATA_AUTH_INVITATION_EXPIRED' });
    this.invitationId = invitationId;
  }
}

/**
 * The accepting user's email differs (case-insensitively) from the invited email.
 *
 * @example
 * catch (error) { if (error instanceof InvitationEmailMismatchError) reply(403) }
 */
export class InvitationEmailMismatchError extends AuthSchemaError {
  readonly invitationId: string;

  constructor(invitationId: string) {
    super(`Invitation ${invitationId} was sent to a different email address`, {
      code: 'STRATA_AUTH_INVITATION_EMAIL_MISMATCH',
    });
    this.invitationId = invitationId;
  }
}

/**
 * The user is not a member of the organization the team belongs to (the database refuses
 * such a team member through its composite foreign key).
 *
 * @example
 * catch (error) { if (error instanceof NotOrganizationMemberError) reply(409) }
 */
export class NotOrganizationMemberError extends AuthSchemaError {
  constructor(options: { cause?: unknown } = {}) {
    super("The user is not a member of the team's organization", { code: 'STRATA_AUTH_NOT_MEMBER', ...options });
  }
}
