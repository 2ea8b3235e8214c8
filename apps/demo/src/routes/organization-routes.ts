import { Router } from 'express';
import { HttpError } from '@strata/express-db';
import { z } from 'zod';
import type { DemoServices } from '../app/demo-services.js';
import { requireUser } from '../auth/authentication-middleware.js';
import { identifier, parseInput, plainText } from '../http/request-validation.js';

const createOrganizationInput = z.object({
  name: plainText(100).pipe(z.string().min(1)),
  slug: z.string().trim().toLowerCase().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'lowercase letters, digits and dashes (max 40)'),
});
const invitationParameters = z.object({ invitationId: identifier });

/**
 * Organizations of the signed-in user and invitations addressed to them: these work across
 * organizations, so they run outside any tenant scope, through the auth-schema adapter
 * (members and invitations are the registry that decides tenant access).
 */
export function organizationRoutes(services: DemoServices): Router {
  const router = Router();

  router.get('/api/organizations', async (request, response) => {
    const user = requireUser(request);
    const memberships = await services.organizations.listOrganizationsForUser(user.id);
    response.json(memberships.map(({ organization, member }) => ({ id: organization.id, name: organization.name, slug: organization.slug, role: member.role })));
  });

  router.post('/api/organizations', async (request, response) => {
    const user = requireUser(request);
    const input = parseInput(createOrganizationInput, request.body);
    const { organization, member } = await services.organizations.createOrganization({ name: input.name, slug: input.slug }, { ownerId: user.id });
    response.status(201).json({ id: organization.id, name: organization.name, slug: organization.slug, role: member.role });
  });

  router.get('/api/invitations', async (request, response) => {
    const user = requireUser(request);
    const invitations = await services.organizations.listPendingInvitationsForEmail(user.email);
    const withNames = await Promise.all(
      invitations.map(async (invitation) => ({
        id: invitation.id,
        role: invitation.role,
        expiresAt: invitation.expires_at,
        organization: (await services.organizations.getOrganizationById(invitation.organization_id))?.name ?? null,
      })),
    );
    response.json(withNames);
  });

  router.post('/api/invitations/:invitationId/accept', async (request, response) => {
    const user = requireUser(request);
    const { invitationId } = parseInput(invitationParameters, request.params);
    // Otherwise anyone could sign up with someone else's address and take their invitations.
    if (!user.emailVerified) throw new HttpError(403, 'Verify your email address before accepting invitations');
    const { member } = await services.organizations.acceptInvitation(invitationId, user.id);
    response.json({ organizationId: member.organization_id, role: member.role });
  });

  router.post('/api/invitations/:invitationId/reject', async (request, response) => {
    const user = requireUser(request);
    const { invitationId } = parseInput(invitationParameters, request.params);
    const invitation = await services.organizations.getInvitation(invitationId);
    if (!invitation || invitation.email.toLowerCase() !== user.email.toLowerCase()) throw new HttpError(404, 'No such invitation');
    await services.organizations.rejectInvitation(invitationId);
    response.status(204).end();
  });

  return router;
}
