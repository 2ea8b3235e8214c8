import { createDb, type StrataDb } from '@strata/db-core';
import { useTestDatabase } from '@strata/testkit';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  DuplicateMembershipError,
  DuplicatePendingInvitationError,
  DuplicateTeamMembershipError,
  OrganizationSlugTakenError,
} from '../errors/conflict-errors.js';
import { InvalidInputError, RecordNotFoundError } from '../errors/input-errors.js';
import {
  InvitationEmailMismatchError,
  InvitationExpiredError,
  InvitationNotPendingError,
  LastOwnerError,
  NotOrganizationMemberError,
} from '../errors/organization-rule-errors.js';
import { testTableNames, type TestDatabase } from '../testing/kysely-test-schema.js';
import { adminQuery, createTestSchema, tableCounts } from '../testing/test-schema-setup.js';
import { createAuthAdapter } from './auth-adapter.js';
import { createOrganizationAdapter } from './organization-adapter.js';
import { createTeamAdapter } from './team-adapter.js';

const database = useTestDatabase();
let db: StrataDb<TestDatabase>;

function makeAdapters() {
  return {
    auth: createAuthAdapter({ db, tables: testTableNames }),
    orgs: createTeamAdapter({ db, tables: testTableNames }),
  };
}
let auth: ReturnType<typeof makeAdapters>['auth'];
let orgs: ReturnType<typeof makeAdapters>['orgs'];

beforeAll(async () => {
  await createTestSchema(database, 'kysely');
  db = createDb<TestDatabase>({ connectionString: database.appUrl, max: 60 });
  ({ auth, orgs } = makeAdapters());
});

afterAll(async () => {
  await db?.close();
});

let counter = 0;
async function newUser(email?: string) {
  counter += 1;
  return await auth.createUser({ email: email ?? `member${counter}@example.com`, display_name: `Member ${counter}` });
}
async function newOrganization() {
  counter += 1;
  const owner = await newUser();
  const created = await orgs.createOrganization({ name: `Org ${counter}`, slug: `org-${counter}` }, { ownerId: owner.id });
  return { owner, ...created };
}

describe('organizations', () => {
  it('creates the organization with its owner atomically, custom columns included', async () => {
    const owner = await newUser();
    const { organization, member } = await orgs.createOrganization(
      { name: 'Acme', slug: 'acme', metadata: { tier: 'gold' }, plan: 'pro' },
      { ownerId: owner.id },
    );
    expectTypeOf(organization.plan).toEqualTypeOf<string>();
    expect(organization.plan).toBe('pro');
    expect(organization.metadata).toEqual({ tier: 'gold' });
    expect(member).toMatchObject({ organization_id: organization.id, user_id: owner.id, role: 'owner' });
    expect((await orgs.getOrganizationBySlug('ACME'))?.id).toBe(organization.id);
    await expect(orgs.createOrganization({ name: 'Acme 2', slug: 'AcMe' }, { ownerId: owner.id })).rejects.toBeInstanceOf(
      OrganizationSlugTakenError,
    );
    const mine = await orgs.listOrganizationsForUser(owner.id);
    expect(mine.map((entry) => [entry.organization.slug, entry.member.role])).toEqual([['acme', 'owner']]);
    expect((await orgs.updateOrganization(organization.id, { plan: 'enterprise' })).plan).toBe('enterprise');
  });

  it('writes nothing when the owner does not exist or the input is bad', async () => {
    const before = await tableCounts(database);
    await expect(orgs.createOrganization({ name: 'Ghost', slug: 'ghost' }, { ownerId: crypto.randomUUID() })).rejects.toBeInstanceOf(
      RecordNotFoundError,
    );
    await expect(orgs.createOrganization({ name: 'Bad', slug: 'not a slug' }, { ownerId: crypto.randomUUID() })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(orgs.createOrganization({ name: 'x'.repeat(1000), slug: 'long' }, { ownerId: crypto.randomUUID() })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(orgs.createOrganization({ name: 'Bad', slug: 'bad' }, { ownerId: 7 as unknown as string })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(orgs.createInvitation({ organization_id: crypto.randomUUID(), email: 'nope' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(orgs.acceptInvitation('123', crypto.randomUUID())).rejects.toBeInstanceOf(InvalidInputError);
    expect(await tableCounts(database)).toEqual(before);
    expect(await orgs.getOrganizationById(crypto.randomUUID())).toBeNull();
    await expect(orgs.updateOrganization(crypto.randomUUID(), { name: 'x' })).rejects.toBeInstanceOf(RecordNotFoundError);
  });
});

describe('members and owners', () => {
  it('keeps memberships unique and lists members with their users', async () => {
    const { organization, owner } = await newOrganization();
    const user = await newUser();
    await orgs.addMember({ organization_id: organization.id, user_id: user.id });
    await expect(orgs.addMember({ organization_id: organization.id, user_id: user.id })).rejects.toBeInstanceOf(
      DuplicateMembershipError,
    );
    await expect(orgs.addMember({ organization_id: organization.id, user_id: crypto.randomUUID() })).rejects.toBeInstanceOf(
      RecordNotFoundError,
    );
    const members = await orgs.listMembers(organization.id);
    expect(members.map((entry) => [entry.user.id, entry.member.role])).toEqual([
      [owner.id, 'owner'],
      [user.id, 'member'],
    ]);
    expectTypeOf(members[0]!.user.display_name).toEqualTypeOf<string | null>();
    expect(members[1]!.user.display_name).toBe(user.display_name);
    expect((await orgs.getMember(organization.id, user.id))?.role).toBe('member');
  });

  it('refuses to remove or demote the last owner', async () => {
    const { organization, owner } = await newOrganization();
    await expect(orgs.removeMember(organization.id, owner.id)).rejects.toBeInstanceOf(LastOwnerError);
    await expect(orgs.updateMemberRole(organization.id, owner.id, 'admin')).rejects.toBeInstanceOf(LastOwnerError);
    const second = await newUser();
    await orgs.addMember({ organization_id: organization.id, user_id: second.id, role: 'owner' });
    expect((await orgs.updateMemberRole(organization.id, owner.id, 'admin')).role).toBe('admin');
    await expect(orgs.removeMember(organization.id, second.id)).rejects.toBeInstanceOf(LastOwnerError);
    expect(await orgs.removeMember(organization.id, owner.id)).toBe(true);
    expect(await orgs.removeMember(organization.id, owner.id)).toBe(false);
  });

  it('of two owners demoting each other concurrently, exactly one succeeds', async () => {
    const { organization, owner } = await newOrganization();
    const second = await newUser();
    await orgs.addMember({ organization_id: organization.id, user_id: second.id, role: 'owner' });
    const results = await Promise.allSettled([
      orgs.updateMemberRole(organization.id, owner.id, 'member'),
      orgs.updateMemberRole(organization.id, second.id, 'member'),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(LastOwnerError);
    const [row] = await adminQuery<{ owners: string }>(
      database,
      `select count(*) as owners from members where organization_id = $1 and role = 'owner'`,
      [organization.id],
    );
    expect(row!.owners).toBe('1');
  });
});

describe('invitations', () => {
  it('allows one pending invitation per organization and email, case-insensitively', async () => {
    const { organization, owner } = await newOrganization();
    const invitation = await orgs.createInvitation({ organization_id: organization.id, email: 'Bob@Example.com', inviter_id: owner.id });
    expect(invitation.status).toBe('pending');
    await expect(orgs.createInvitation({ organization_id: organization.id, email: 'bob@example.COM' })).rejects.toBeInstanceOf(
      DuplicatePendingInvitationError,
    );
    await orgs.cancelInvitation(invitation.id);
    const again = await orgs.createInvitation({ organization_id: organization.id, email: 'bob@example.com' });
    expect(again.status).toBe('pending');
    expect((await orgs.listInvitations(organization.id, { status: 'canceled' })).map((row) => row.id)).toEqual([invitation.id]);
    expect((await orgs.listPendingInvitationsForEmail('BOB@example.com')).map((row) => row.id)).toEqual([again.id]);
  });

  it('of two concurrent invitations for the same email in different case, exactly one is created', async () => {
    const { organization } = await newOrganization();
    const results = await Promise.allSettled([
      orgs.createInvitation({ organization_id: organization.id, email: 'race@example.com' }),
      orgs.createInvitation({ organization_id: organization.id, email: 'RACE@EXAMPLE.COM' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
      DuplicatePendingInvitationError,
    );
    expect(await orgs.listInvitations(organization.id)).toHaveLength(1);
  });

  it('of 50 concurrent accepts of one invitation, exactly one makes a membership', async () => {
    const { organization } = await newOrganization();
    const invitee = await newUser('invitee50@example.com');
    const invitation = await orgs.createInvitation({ organization_id: organization.id, email: 'INVITEE50@example.com', role: 'admin' });
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => orgs.acceptInvitation(invitation.id, invitee.id)));
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    expect(fulfilled).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(InvitationNotPendingError);
    }
    const [row] = await adminQuery<{ count: string }>(
      database,
      `select count(*) from members where organization_id = $1 and user_id = $2`,
      [organization.id, invitee.id],
    );
    expect(row!.count).toBe('1');
    expect((await orgs.getMember(organization.id, invitee.id))?.role).toBe('admin');
    expect((await orgs.getInvitation(invitation.id))?.status).toBe('accepted');
  });

  it('refuses expired, canceled, rejected, used and mismatched invitations, writing nothing', async () => {
    const { organization } = await newOrganization();
    const invitee = await newUser();
    const expired = await orgs.createInvitation({
      organization_id: organization.id,
      email: invitee.email,
      expires_at: new Date(Date.now() - 1000),
    });
    await expect(orgs.acceptInvitation(expired.id, invitee.id)).rejects.toBeInstanceOf(InvitationExpiredError);
    expect((await orgs.getInvitation(expired.id))?.status).toBe('pending');
    expect(await orgs.cancelExpiredInvitations()).toBeGreaterThanOrEqual(1);

    const canceled = await orgs.createInvitation({ organization_id: organization.id, email: invitee.email });
    await orgs.cancelInvitation(canceled.id);
    await expect(orgs.acceptInvitation(canceled.id, invitee.id)).rejects.toMatchObject({ status: 'canceled' });
    await expect(orgs.cancelInvitation(canceled.id)).rejects.toBeInstanceOf(InvitationNotPendingError);

    const rejected = await orgs.createInvitation({ organization_id: organization.id, email: invitee.email });
    await orgs.rejectInvitation(rejected.id);
    await expect(orgs.acceptInvitation(rejected.id, invitee.id)).rejects.toMatchObject({ status: 'rejected' });

    const someoneElse = await newUser();
    const mismatched = await orgs.createInvitation({ organization_id: organization.id, email: invitee.email });
    await expect(orgs.acceptInvitation(mismatched.id, someoneElse.id)).rejects.toBeInstanceOf(InvitationEmailMismatchError);
    await orgs.acceptInvitation(mismatched.id, invitee.id);
    await expect(orgs.acceptInvitation(mismatched.id, invitee.id)).rejects.toMatchObject({ status: 'accepted' });

    await expect(orgs.acceptInvitation(crypto.randomUUID(), invitee.id)).rejects.toBeInstanceOf(RecordNotFoundError);
    expect((await orgs.listMembers(organization.id)).map((entry) => entry.user.id)).not.toContain(someoneElse.id);
  });

  it('rolls the acceptance back when the user is already a member', async () => {
    const { organization } = await newOrganization();
    const invitee = await newUser();
    await orgs.addMember({ organization_id: organization.id, user_id: invitee.id });
    const invitation = await orgs.createInvitation({ organization_id: organization.id, email: invitee.email });
    await expect(orgs.acceptInvitation(invitation.id, invitee.id)).rejects.toBeInstanceOf(DuplicateMembershipError);
    expect((await orgs.getInvitation(invitation.id))?.status).toBe('pending');
  });
});

describe('teams', () => {
  it('only takes members of the team organization, once', async () => {
    const { organization, owner } = await newOrganization();
    const other = await newOrganization();
    const team = await orgs.createTeam({ organization_id: organization.id, name: 'Platform' });
    const teamMember = await orgs.addTeamMember({ team_id: team.id, user_id: owner.id });
    expect(teamMember.organization_id).toBe(organization.id);
    await expect(orgs.addTeamMember({ team_id: team.id, user_id: owner.id })).rejects.toBeInstanceOf(DuplicateTeamMembershipError);
    await expect(orgs.addTeamMember({ team_id: team.id, user_id: other.owner.id })).rejects.toBeInstanceOf(NotOrganizationMemberError);
    await expect(orgs.addTeamMember({ team_id: crypto.randomUUID(), user_id: owner.id })).rejects.toBeInstanceOf(RecordNotFoundError);
    // Even a hand-written insert cannot put a non-member in the team: the database refuses it.
    await expect(
      adminQuery(database, `insert into team_members (team_id, organization_id, user_id) values ($1, $2, $3)`, [
        team.id,
        organization.id,
        other.owner.id,
      ]),
    ).rejects.toMatchObject({ code: '23503', constraint: 'team_members_organization_id_user_id_fkey' });
    await expect(
      adminQuery(database, `insert into team_members (team_id, organization_id, user_id) values ($1, $2, $3)`, [
        team.id,
        other.organization.id,
        other.owner.id,
      ]),
    ).rejects.toMatchObject({ code: '23503', constraint: 'team_members_organization_id_team_id_fkey' });
    const members = await orgs.listTeamMembers(team.id);
    expect(members.map((entry) => entry.user.display_name)).toEqual([owner.display_name]);
    expect((await orgs.listTeamsForUser(organization.id, owner.id)).map((row) => row.name)).toEqual(['Platform']);
    expect((await orgs.updateTeam(team.id, { name: 'Infra' })).name).toBe('Infra');
    expect(await orgs.listTeams(organization.id)).toHaveLength(1);
  });

  it('removing a member removes their team memberships', async () => {
    const { organization } = await newOrganization();
    const user = await newUser();
    await orgs.addMember({ organization_id: organization.id, user_id: user.id });
    const first = await orgs.createTeam({ organization_id: organization.id, name: 'A' });
    const second = await orgs.createTeam({ organization_id: organization.id, name: 'B' });
    await orgs.addTeamMember({ team_id: first.id, user_id: user.id });
    await orgs.addTeamMember({ team_id: second.id, user_id: user.id });
    expect(await orgs.removeMember(organization.id, user.id)).toBe(true);
    expect(await orgs.listTeamsForUser(organization.id, user.id)).toEqual([]);
    expect(await orgs.removeTeamMember(first.id, user.id)).toBe(false);
  });

  it('accepting an invitation that names a team adds the team membership too', async () => {
    const { organization } = await newOrganization();
    const team = await orgs.createTeam({ organization_id: organization.id, name: 'Invited' });
    const invitee = await newUser();
    const invitation = await orgs.createInvitation({ organization_id: organization.id, email: invitee.email, team_id: team.id });
    await orgs.acceptInvitation(invitation.id, invitee.id);
    expect((await orgs.listTeamMembers(team.id)).map((entry) => entry.user.id)).toEqual([invitee.id]);
    const foreignTeam = await orgs.createTeam({ organization_id: (await newOrganization()).organization.id, name: 'Foreign' });
    await expect(
      orgs.createInvitation({ organization_id: organization.id, email: 'x@example.com', team_id: foreignTeam.id }),
    ).rejects.toBeInstanceOf(RecordNotFoundError);
  });
});

describe('cascades', () => {
  it('deleting an organization removes its members, invitations, teams and team members', async () => {
    const { organization, owner } = await newOrganization();
    const team = await orgs.createTeam({ organization_id: organization.id, name: 'Doomed' });
    await orgs.addTeamMember({ team_id: team.id, user_id: owner.id });
    await orgs.createInvitation({ organization_id: organization.id, email: 'gone@example.com' });
    const { token } = await auth.createSession({ user_id: owner.id, active_organization_id: organization.id });
    expect(await orgs.deleteOrganization(organization.id)).toBe(true);
    for (const table of ['members', 'invitations', 'teams', 'team_members']) {
      const [row] = await adminQuery<{ count: string }>(database, `select count(*) from ${table} where organization_id = $1`, [
        organization.id,
      ]);
      expect(row!.count, table).toBe('0');
    }
    expect(await auth.getUserById(owner.id)).not.toBeNull();
    expect((await auth.getSession(token))?.active_organization_id).toBeNull();
  });

  it("deleting a user removes their memberships and team memberships and keeps invitations they sent", async () => {
    const { organization, owner } = await newOrganization();
    const user = await newUser();
    await orgs.addMember({ organization_id: organization.id, user_id: user.id, role: 'owner' });
    const team = await orgs.createTeam({ organization_id: organization.id, name: 'T' });
    await orgs.addTeamMember({ team_id: team.id, user_id: user.id });
    const invitation = await orgs.createInvitation({ organization_id: organization.id, email: 'kept@example.com', inviter_id: user.id });
    await auth.deleteUser(user.id);
    expect(await orgs.getMember(organization.id, user.id)).toBeNull();
    expect(await orgs.listTeamMembers(team.id)).toEqual([]);
    expect((await orgs.getInvitation(invitation.id))?.inviter_id).toBeNull();
    expect((await orgs.getMember(organization.id, owner.id))?.role).toBe('owner');
  });
});
