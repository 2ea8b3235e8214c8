import { transaction, type KyselyInstance, type TransactionOptions } from '@strata/db-core';
import type { Kysely } from 'kysely';
import type { InvitationStatus, MemberRole } from '../schema/domain-values.js';
import { adapterContextOf, attachContext, createAdapterContext, rebindAdapter, type AdapterContext } from './adapter-context.js';
import type { GeneratedKeys, InsertOf, RowOf, SourceOf, TableSource, UpdateOf, WithOptional, Without } from './adapter-types.js';
import * as invitations from './invitation-operations.js';
import * as organizations from './organization-operations.js';

/**
 * The app's tables for the organization adapter.
 *
 * @example
 * const tables = { users: 'app_users', members: 'organization_members' } satisfies OrganizationTables<Database>;
 */
export interface OrganizationTables<DB> {
  readonly users?: TableSource<DB>;
  readonly organizations?: TableSource<DB>;
  readonly members?: TableSource<DB>;
  readonly invitations?: TableSource<DB>;
}

/**
 * The row, insert and update types of the app's organization tables.
 *
 * @example
 * function report<Types extends OrganizationTypes>(orgs: OrganizationAdapter<Types>) { … }
 */
export interface OrganizationTypes {
  user: object;
  organization: object;
  organizationInsert: object;
  organizationUpdate: object;
  member: object;
  memberInsert: object;
  invitation: object;
  invitationInsert: object;
}

/**
 * `OrganizationTypes` computed from the app's Kysely `Database` and its table configuration.
 *
 * @example
 * type Organization = OrganizationTypesOf<Database, {}>['organization'];
 */
export type OrganizationTypesOf<DB, Tables> = {
  user: RowOf<DB, SourceOf<Tables, 'users'>>;
  organization: RowOf<DB, SourceOf<Tables, 'organizations'>>;
  organizationInsert: InsertOf<DB, SourceOf<Tables, 'organizations'>>;
  organizationUpdate: UpdateOf<DB, SourceOf<Tables, 'organizations'>>;
  member: RowOf<DB, SourceOf<Tables, 'members'>>;
  memberInsert: InsertOf<DB, SourceOf<Tables, 'members'>>;
  invitation: RowOf<DB, SourceOf<Tables, 'invitations'>>;
  invitationInsert: InsertOf<DB, SourceOf<Tables, 'invitations'>>;
};

/**
 * Options of `createOrganizationAdapter`.
 *
 * @example
 * const options: OrganizationAdapterOptions<Database, {}, AppUser> = { db, invitationExpiresInSeconds: 3 * 86_400 };
 */
export interface OrganizationAdapterOptions<DB, Tables, TUser> {
  /** The app's Kysely instance, e.g. `createDb()` from `@strata/db-core`. */
  readonly db: KyselyInstance<DB>;
  /** The app's tables; any omitted role uses its default name. */
  readonly tables?: Tables;
  /** Turns a users row into what `listMembers` returns for users (default: the row). */
  readonly mapUser?: (user: RowOf<DB, SourceOf<Tables, 'users'>>) => TUser;
  /** Default lifetime of invitations in seconds (7 days). */
  readonly invitationExpiresInSeconds?: number;
  /** Options of the transactions the adapter opens (retries, isolation). */
  readonly transaction?: TransactionOptions;
}

/**
 * Values for `createInvitation`: the app's insert type without what the adapter sets.
 *
 * @example
 * const values: CreateInvitationValues<OrganizationTypesOf<Database, {}>> = { organization_id: id, email: 'bob@example.com' };
 */
export type CreateInvitationValues<Types extends OrganizationTypes> = WithOptional<
  Without<Types['invitationInsert'], GeneratedKeys | 'status'>,
  'expires_at' | 'expiresAt'
>;

/**
 * Persistence for organizations, members and invitations, over the app's own tables, with
 * the organization rules enforced: creating an organization and its owner membership is one
 * transaction; the last owner can be neither removed nor demoted (`LastOwnerError`, checked
 * under a lock on the organization row); one pending invitation per (organization, email),
 * case-insensitive (`DuplicatePendingInvitationError`, from the partial unique index);
 * accepting is atomic and refuses expired, canceled, rejected or used invitations.
 *
 * Organization-scoped rows carry `organization_id`, so the app can put its tables behind
 * db-core's tenant policies with the organization as tenant and pass the transaction from
 * `withTenant` to `withDatabase`.
 *
 * @example
 * const orgs = createOrganizationAdapter({ db, tables: { users: 'app_users' } });
 * const { organization } = await orgs.createOrganization({ name: 'Acme', slug: 'acme' }, { ownerId: user.id });
 */
export class OrganizationAdapter<Types extends OrganizationTypes = OrganizationTypes, TUser = Types['user']> {
  /** Use `createOrganizationAdapter` (it computes the types from the app's schema). */
  constructor(options: OrganizationAdapterOptions<any, any, any>, settings: Record<string, unknown> = {}) {
    attachContext(
      this,
      createAdapterContext({
        db: options.db as Kysely<any>,
        tables: options.tables,
        mapUser: options.mapUser,
        transactionOptions: options.transaction,
        settings: { invitationSeconds: options.invitationExpiresInSeconds, ...settings },
      }),
    );
  }

  /** The adapter's context (database, tables, settings). */
  protected get context(): AdapterContext {
    return adapterContextOf(this);
  }

  /**
   * The same adapter over another handle, e.g. the transaction of db-core's `withTenant`.
   *
   * @example
   * await withTenant(db, organizationId, async (trx) => orgs.withDatabase(trx).listMembers(organizationId));
   */
  withDatabase(db: Kysely<any>): this {
    return rebindAdapter(this, db);
  }

  /**
   * Runs the app's own multi-step flow in one transaction with this adapter bound to it.
   *
   * @example
   * await orgs.transaction(async (tx) => {
   *   const { organization } = await tx.createOrganization({ name: 'Acme', slug: 'acme' }, { ownerId });
   *   await tx.createInvitation({ organization_id: organization.id, email: 'bob@example.com' });
   * });
   */
  async transaction<T>(work: (adapter: this) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return await transaction(this.context.db, async (trx) => await work(this.withDatabase(trx)), {
      ...this.context.transactionOptions,
      ...options,
    });
  }

  /**
   * Creates an organization and makes `ownerId` its owner, atomically. `OrganizationSlugTakenError`
   * when the slug exists (any case); `RecordNotFoundError` for an unknown owner (nothing written).
   *
   * @example
   * const { organization, member } = await orgs.createOrganization({ name: 'Acme', slug: 'acme' }, { ownerId: user.id });
   */
  async createOrganization(
    values: Without<Types['organizationInsert'], GeneratedKeys>,
    options: { ownerId: string },
  ): Promise<{ organization: Types['organization']; member: Types['member'] }> {
    return (await organizations.createOrganization(this.context, values, options)) as {
      organization: Types['organization'];
      member: Types['member'];
    };
  }

  /**
   * The organization with this id, or `null`.
   *
   * @example
   * const organization = await orgs.getOrganizationById(id);
   */
  async getOrganizationById(id: string): Promise<Types['organization'] | null> {
    return (await organizations.getOrganizationById(this.context, id)) as Types['organization'] | null;
  }

  /**
   * The organization with this slug (any case), or `null`.
   *
   * @example
   * const organization = await orgs.getOrganizationBySlug(request.params.slug);
   */
  async getOrganizationBySlug(slug: string): Promise<Types['organization'] | null> {
    return (await organizations.getOrganizationBySlug(this.context, slug)) as Types['organization'] | null;
  }

  /**
   * Updates an organization; `RecordNotFoundError` when absent.
   *
   * @example
   * await orgs.updateOrganization(id, { logo: 'https://…/logo.png' });
   */
  async updateOrganization(
    id: string,
    values: Without<Types['organizationUpdate'], GeneratedKeys>,
  ): Promise<Types['organization']> {
    return (await organizations.updateOrganization(this.context, id, values)) as Types['organization'];
  }

  /**
   * Deletes an organization with its members, invitations, teams and team members; whether
   * it existed.
   *
   * @example
   * await orgs.deleteOrganization(id);
   */
  async deleteOrganization(id: string): Promise<boolean> {
    return await organizations.deleteOrganization(this.context, id);
  }

  /**
   * The organizations a user belongs to, each with the user's membership (one statement).
   *
   * @example
   * const mine = await orgs.listOrganizationsForUser(user.id);
   */
  async listOrganizationsForUser(
    userId: string,
  ): Promise<{ organization: Types['organization']; member: Types['member'] }[]> {
    return (await organizations.listOrganizationsForUser(this.context, userId)) as {
      organization: Types['organization'];
      member: Types['member'];
    }[];
  }

  /**
   * Adds a member. `DuplicateMembershipError` when the user is a member already;
   * `RecordNotFoundError` for an unknown organization or user.
   *
   * @example
   * await orgs.addMember({ organization_id: organization.id, user_id: user.id, role: 'admin' });
   */
  async addMember(values: Without<Types['memberInsert'], GeneratedKeys>): Promise<Types['member']> {
    return (await organizations.addMember(this.context, values)) as Types['member'];
  }

  /**
   * The user's membership of the organization, or `null`.
   *
   * @example
   * const membership = await orgs.getMember(organizationId, user.id);
   */
  async getMember(organizationId: string, userId: string): Promise<Types['member'] | null> {
    return (await organizations.getMember(this.context, organizationId, userId)) as Types['member'] | null;
  }

  /**
   * The organization's members with their users (one statement), oldest first.
   *
   * @example
   * const people = await orgs.listMembers(organizationId);
   */
  async listMembers(organizationId: string): Promise<{ member: Types['member']; user: TUser }[]> {
    return (await organizations.listMembers(this.context, organizationId)) as { member: Types['member']; user: TUser }[];
  }

  /**
   * Changes a member's role; `LastOwnerError` when that would leave no owner,
   * `RecordNotFoundError` when the user is not a member.
   *
   * @example
   * await orgs.updateMemberRole(organizationId, user.id, 'admin');
   */
  async updateMemberRole(organizationId: string, userId: string, role: MemberRole): Promise<Types['member']> {
    return (await organizations.updateMemberRole(this.context, organizationId, userId, role)) as Types['member'];
  }

  /**
   * Removes a member and (in the same statement, by cascade) their team memberships;
   * `LastOwnerError` for the last owner. Whether they were a member.
   *
   * @example
   * await orgs.removeMember(organizationId, user.id);
   */
  async removeMember(organizationId: string, userId: string): Promise<boolean> {
    return await organizations.removeMember(this.context, organizationId, userId);
  }

  /**
   * Invites an email address (default lifetime 7 days). `DuplicatePendingInvitationError`
   * when one is pending for the same organization and email (any case); an expired pending
   * one is canceled first.
   *
   * @example
   * const invitation = await orgs.createInvitation({ organization_id: id, email: 'bob@example.com', inviter_id: me.id });
   */
  async createInvitation(
    values: CreateInvitationValues<Types>,
    options: { expiresInSeconds?: number } = {},
  ): Promise<Types['invitation']> {
    return (await invitations.createInvitation(this.context, values, options)) as Types['invitation'];
  }

  /**
   * The invitation with this id, or `null`.
   *
   * @example
   * const invitation = await orgs.getInvitation(request.params.id);
   */
  async getInvitation(id: string): Promise<Types['invitation'] | null> {
    return (await invitations.getInvitation(this.context, id)) as Types['invitation'] | null;
  }

  /**
   * The organization's invitations, optionally only those with one status.
   *
   * @example
   * const pending = await orgs.listInvitations(organizationId, { status: 'pending' });
   */
  async listInvitations(organizationId: string, options: { status?: InvitationStatus } = {}): Promise<Types['invitation'][]> {
    return (await invitations.listInvitations(this.context, organizationId, options)) as Types['invitation'][];
  }

  /**
   * The pending, unexpired invitations for an email (any case), e.g. to show after sign-up.
   *
   * @example
   * const waiting = await orgs.listPendingInvitationsForEmail(user.email);
   */
  async listPendingInvitationsForEmail(email: string): Promise<Types['invitation'][]> {
    return (await invitations.listPendingInvitationsForEmail(this.context, email)) as Types['invitation'][];
  }

  /**
   * Accepts an invitation for a user whose email matches it, atomically: the status change
   * and the membership commit together. `InvitationExpiredError`, `InvitationNotPendingError`
   * (accepted, rejected, canceled), `InvitationEmailMismatchError`, `DuplicateMembershipError`,
   * `RecordNotFoundError`; of concurrent accepts exactly one succeeds.
   *
   * @example
   * const { member } = await orgs.acceptInvitation(invitationId, user.id);
   */
  async acceptInvitation(invitationId: string, userId: string): Promise<{ invitation: Types['invitation']; member: Types['member'] }> {
    return (await invitations.acceptInvitation(this.context, invitationId, userId)) as {
      invitation: Types['invitation'];
      member: Types['member'];
    };
  }

  /**
   * Rejects a pending invitation (the invitee declines); `InvitationNotPendingError` otherwise.
   *
   * @example
   * await orgs.rejectInvitation(invitationId);
   */
  async rejectInvitation(invitationId: string): Promise<Types['invitation']> {
    return (await invitations.rejectInvitation(this.context, invitationId)) as Types['invitation'];
  }

  /**
   * Cancels a pending invitation (the organization withdraws it); `InvitationNotPendingError` otherwise.
   *
   * @example
   * await orgs.cancelInvitation(invitationId);
   */
  async cancelInvitation(invitationId: string): Promise<Types['invitation']> {
    return (await invitations.cancelInvitation(this.context, invitationId)) as Types['invitation'];
  }

  /**
   * Marks every expired pending invitation as canceled; how many.
   *
   * @example
   * await orgs.cancelExpiredInvitations();
   */
  async cancelExpiredInvitations(): Promise<number> {
    return await invitations.cancelExpiredInvitations(this.context);
  }
}

/**
 * Creates an `OrganizationAdapter` over the app's tables, typed from its schema (Kysely
 * table names, or `drizzleAuthTables()` codecs).
 *
 * @example
 * const orgs = createOrganizationAdapter({ db, tables: { users: 'app_users' } });
 */
export function createOrganizationAdapter<
  DB,
  const Tables extends OrganizationTables<NoInfer<DB>> = {},
  TUser = RowOf<DB, SourceOf<Tables, 'users'>>,
>(options: OrganizationAdapterOptions<DB, Tables, TUser>): OrganizationAdapter<OrganizationTypesOf<DB, Tables>, TUser> {
  return new OrganizationAdapter<OrganizationTypesOf<DB, Tables>, TUser>(options);
}
