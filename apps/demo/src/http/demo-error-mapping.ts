import {
  DuplicateMembershipError,
  DuplicatePendingInvitationError,
  DuplicateTeamMembershipError,
  EmailAlreadyInUseError,
  InvalidInputError,
  InvitationEmailMismatchError,
  InvitationExpiredError,
  InvitationNotPendingError,
  LastOwnerError,
  NotOrganizationMemberError,
  OrganizationSlugTakenError,
  RecordNotFoundError,
} from '@strata/auth-schema';
import { HttpError } from '@strata/express-db';

/**
 * Translates auth-schema's domain errors into HTTP answers for express-db's problem
 * handler. Each message is written for the client; none echoes the submitted values.
 */
export function mapDemoError(error: unknown): HttpError | undefined {
  if (error instanceof EmailAlreadyInUseError) return new HttpError(409, 'This email is already registered');
  if (error instanceof OrganizationSlugTakenError) return new HttpError(409, 'This organization slug is taken');
  if (error instanceof DuplicateMembershipError) return new HttpError(409, 'Already a member of this organization');
  if (error instanceof DuplicatePendingInvitationError) return new HttpError(409, 'This email already has a pending invitation');
  if (error instanceof DuplicateTeamMembershipError) return new HttpError(409, 'Already a member of this team');
  if (error instanceof InvitationEmailMismatchError) return new HttpError(403, 'This invitation is for another email address');
  if (error instanceof InvitationExpiredError) return new HttpError(410, 'This invitation has expired');
  if (error instanceof InvitationNotPendingError) return new HttpError(409, 'This invitation is no longer pending');
  if (error instanceof LastOwnerError) return new HttpError(409, 'An organization needs at least one owner');
  if (error instanceof NotOrganizationMemberError) return new HttpError(422, 'That user is not a member of this organization');
  if (error instanceof RecordNotFoundError) return new HttpError(404, 'Not found');
  if (error instanceof InvalidInputError) return new HttpError(400, 'Invalid input');
  return undefined;
}
