/**
 * The states an invitation can be in. Only `pending` invitations can be accepted,
 * rejected or canceled; at most one per (organization, email) may be pending, which the
 * database enforces with a partial unique index.
 *
 * @example
 * invitationStatuses.includes(row.status); // true for every stored row
 */
export const invitationStatuses = ['pending', 'accepted', 'rejected', 'canceled'] as const;

/**
 * One of `invitationStatuses`.
 *
 * @example
 * const open: InvitationStatus = 'pending';
 */
export type InvitationStatus = (typeof invitationStatuses)[number];

/**
 * Purposes of verification tokens that Strata uses itself. The column is free text, so an
 * app can add its own purposes (`'phone_verification'`, …).
 *
 * @example
 * await adapter.createVerificationToken({ purpose: verificationPurposes.passwordReset, identifier: email });
 */
export const verificationPurposes = {
  emailVerification: 'email_verification',
  passwordReset: 'password_reset',
  emailChange: 'email_change',
  signIn: 'sign_in',
} as const;

/**
 * A known purpose, or any other non-empty string the app defines.
 *
 * @example
 * const purpose: VerificationPurpose = 'phone_verification'; // app-defined purposes are allowed
 */
export type VerificationPurpose = (typeof verificationPurposes)[keyof typeof verificationPurposes] | (string & {});

/**
 * The membership role with full control of an organization. An organization always keeps
 * at least one member with this role: the adapters refuse to remove or demote the last one.
 *
 * @example
 * await organizations.addMember({ organizationId, userId, role: ownerRole });
 */
export const ownerRole = 'owner';

/**
 * Membership roles: `owner`, `admin`, `member`, or a role the app defines.
 *
 * @example
 * await orgs.updateMemberRole(organizationId, userId, 'admin' satisfies MemberRole);
 */
export type MemberRole = 'owner' | 'admin' | 'member' | (string & {});
