import type { Generated } from 'kysely';
import type { InvitationStatus, MemberRole } from './domain-values.js';

/*
 * Row types for Kysely's `Database` interface, one per mixin. Compose them with the app's
 * own columns:
 *
 *   interface Database {
 *     users: UserTable & { display_name: string | null };
 *     sessions: SessionTable;
 *   }
 *
 * Column names are the SQL names (snake_case), exactly as the mixins create them.
 */

/**
 * The primary-key mixin: `id uuid primary key default gen_random_uuid()`.
 *
 * @example
 * interface ProjectTable extends PrimaryKeyColumn { name: string }
 */
export interface PrimaryKeyColumn {
  id: Generated<string>;
}

/**
 * The timestamp mixin: `created_at` and `updated_at`, both `timestamptz not null default now()`.
 * The adapters set `updated_at` on every update they make.
 *
 * @example
 * interface ProjectTable extends PrimaryKeyColumn, TimestampColumns { name: string }
 */
export interface TimestampColumns {
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/**
 * Columns of the user mixin (plus primary key and timestamps). `email` is `citext`, unique.
 *
 * @example
 * interface Database { users: UserTable & { display_name: string | null } }
 */
export interface UserTable extends PrimaryKeyColumn, TimestampColumns {
  email: string;
  email_verified_at: Date | null;
  name: string | null;
  image: string | null;
  /** A password hash made by the app (argon2, scrypt…); null for OAuth-only users. */
  password_hash: string | null;
  scopes: Generated<string[]>;
}

/**
 * Columns of the account mixin: a user's link to an OAuth/OIDC provider, with the provider's
 * tokens. `provider` and `provider_account_id` are `citext`, unique together.
 *
 * @example
 * interface Database { accounts: AccountTable }
 */
export interface AccountTable extends PrimaryKeyColumn, TimestampColumns {
  user_id: string;
  type: Generated<string>;
  provider: string;
  provider_account_id: string;
  access_token: string | null;
  refresh_token: string | null;
  id_token: string | null;
  token_type: string | null;
  scope: string | null;
  access_token_expires_at: Date | null;
  refresh_token_expires_at: Date | null;
}

/**
 * Columns of the session mixin. The session token itself is never stored: `token_hash` is
 * its SHA-256.
 *
 * @example
 * interface Database { sessions: SessionTable }
 */
export interface SessionTable extends PrimaryKeyColumn, TimestampColumns {
  user_id: string;
  token_hash: Buffer;
  expires_at: Date;
  ip_address: string | null;
  user_agent: string | null;
  active_organization_id: string | null;
}

/**
 * Columns of the OAuth-state mixin: the pending state of an authorization-code flow. The
 * `state` value is stored as its SHA-256 (`state_hash`).
 *
 * @example
 * interface Database { oauth_states: OAuthStateTable }
 */
export interface OAuthStateTable extends PrimaryKeyColumn, TimestampColumns {
  state_hash: Buffer;
  code_verifier: string | null;
  redirect_url: string | null;
  user_id: string | null;
  expires_at: Date;
}

/**
 * Columns of the verification-token mixin (email verification, password reset, email
 * change, sign-in links…). Single use: `consumed_at` is set atomically on first use.
 *
 * @example
 * interface Database { verification_tokens: VerificationTokenTable }
 */
export interface VerificationTokenTable extends PrimaryKeyColumn, TimestampColumns {
  purpose: string;
  identifier: string;
  token_hash: Buffer;
  user_id: string | null;
  payload: unknown;
  expires_at: Date;
  consumed_at: Date | null;
}

/**
 * Columns of the role mixin (RBAC). `name` is unique.
 *
 * @example
 * interface Database { roles: RoleTable }
 */
export interface RoleTable extends PrimaryKeyColumn, TimestampColumns {
  name: string;
  description: string | null;
}

/**
 * Columns of the user–role association (primary key `(user_id, role_id)`).
 *
 * @example
 * interface Database { user_roles: UserRoleTable }
 */
export interface UserRoleTable extends TimestampColumns {
  user_id: string;
  role_id: string;
}

/**
 * Columns of the organization mixin. `slug` is `citext`, unique.
 *
 * @example
 * interface Database { organizations: OrganizationTable }
 */
export interface OrganizationTable extends PrimaryKeyColumn, TimestampColumns {
  name: string;
  slug: string;
  logo: string | null;
  metadata: unknown;
}

/**
 * Columns of the member mixin: one row per (organization, user), unique.
 *
 * @example
 * interface Database { members: MemberTable }
 */
export interface MemberTable extends PrimaryKeyColumn, TimestampColumns {
  organization_id: string;
  user_id: string;
  role: Generated<MemberRole>;
}

/**
 * Columns of the invitation mixin. `email` is `citext`; at most one `pending` invitation per
 * (organization, email).
 *
 * @example
 * interface Database { invitations: InvitationTable }
 */
export interface InvitationTable extends PrimaryKeyColumn, TimestampColumns {
  organization_id: string;
  email: string;
  role: Generated<MemberRole>;
  status: Generated<InvitationStatus>;
  inviter_id: string | null;
  team_id: string | null;
  expires_at: Date;
}

/**
 * Columns of the team mixin. `(id, organization_id)` is unique so team members can carry
 * the organization in a composite foreign key.
 *
 * @example
 * interface Database { teams: TeamTable }
 */
export interface TeamTable extends PrimaryKeyColumn, TimestampColumns {
  organization_id: string;
  name: string;
}

/**
 * Columns of the team-member mixin. `organization_id` is carried so the database can check
 * that the user is a member of the team's organization (composite foreign keys).
 *
 * @example
 * interface Database { team_members: TeamMemberTable }
 */
export interface TeamMemberTable extends PrimaryKeyColumn, TimestampColumns {
  team_id: string;
  organization_id: string;
  user_id: string;
}
