import type { Generated } from 'kysely';
import type {
  InvitationTable,
  MemberTable,
  OrganizationTable,
  SessionTable,
  TeamMemberTable,
  TeamTable,
  UserTable,
  VerificationTokenTable,
} from '@strata/auth-schema';

/** An organization's project: the tenant data of the demo, behind row-level security. */
export interface ProjectTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  description: string;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The demo's database: auth-schema's tables (the app owns them) plus `projects`. */
export interface DemoDatabase {
  users: UserTable;
  sessions: SessionTable;
  verification_tokens: VerificationTokenTable;
  organizations: OrganizationTable;
  members: MemberTable;
  invitations: InvitationTable;
  teams: TeamTable;
  team_members: TeamMemberTable;
  projects: ProjectTable;
}

/**
 * Tables with `organization_id` that are deliberately NOT tenant tables: they are the
 * registry that decides which organization a user may enter (a user lists their own
 * memberships and invitations across organizations), so the app reads them only through
 * the auth-schema adapter with explicit user checks.
 */
export const tenantRegistryTables = ['public.members', 'public.invitations'] as const;

/** The tables behind the organization tenant policy. */
export const tenantTables = ['teams', 'team_members', 'projects'] as const;
