import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { sessionSchema } from '../auth/auth.schemas.js';
import {
  acceptInvitationSchema,
  createInvitationSchema,
  invitationPreviewSchema,
  invitationSchema,
  invitationTokenParamsSchema,
} from './invitations.schemas.js';
import type { InvitationsService } from './invitations.service.js';

export function registerInvitationRoutes(router: ApiRouter, invitations: InvitationsService): void {
  router.route({
    method: 'get',
    path: '/api/invitations',
    access: 'admin',
    tag: 'Invitations',
    summary: 'Invitations not yet accepted or revoked (expired ones included: they can be resent)',
    responses: {
      200: {
        description: 'Pending invitations, newest first',
        schema: z.object({ items: z.array(invitationSchema) }),
      },
    },
    handler: async ({ actor }) => ({ items: await invitations.list(actor) }),
  });

  router.route({
    method: 'post',
    path: '/api/invitations',
    access: 'admin',
    tag: 'Invitations',
    summary: 'Invite someone by e-mail: a link valid 7 days is mailed to them',
    body: createInvitationSchema,
    responses: {
      201: { description: 'The invitation (its mail is on its way)', schema: invitationSchema },
      404: errorResponse('NOT_FOUND: a department'),
      409: errorResponse('EMAIL_TAKEN'),
    },
    handler: ({ actor, body }) => invitations.create(actor, body),
  });

  router.route({
    method: 'post',
    path: '/api/invitations/:id/resend',
    access: 'admin',
    tag: 'Invitations',
    summary: 'Mail a new link valid 7 days (the previous link stops working)',
    params: idParamsSchema,
    responses: {
      200: { description: 'The invitation with its new expiry', schema: invitationSchema },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => invitations.resend(actor, params.id),
  });

  router.route({
    method: 'delete',
    path: '/api/invitations/:id',
    access: 'admin',
    tag: 'Invitations',
    summary: 'Revoke an invitation: its link stops working',
    params: idParamsSchema,
    responses: {
      204: { description: 'Revoked' },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => invitations.revoke(actor, params.id),
  });

  router.route({
    method: 'get',
    path: '/api/invitations/accept/:token',
    access: 'public',
    tag: 'Invitations',
    summary: "What an invitation link's page shows",
    params: invitationTokenParamsSchema,
    responses: {
      200: { description: 'The invitation', schema: invitationPreviewSchema },
      410: errorResponse('INVITATION_EXPIRED: used, expired, revoked or unknown'),
    },
    handler: ({ params }) => invitations.preview(params.token),
  });

  router.route({
    method: 'post',
    path: '/api/invitations/accept/:token',
    access: 'public',
    tag: 'Invitations',
    summary: 'Accept an invitation: set a password (and name) and sign in',
    params: invitationTokenParamsSchema,
    body: acceptInvitationSchema,
    responses: {
      201: { description: 'Signed in as the new user', schema: sessionSchema },
      400: errorResponse('VALIDATION_FAILED, or WEAK_PASSWORD'),
      409: errorResponse('EMAIL_TAKEN'),
      410: errorResponse('INVITATION_EXPIRED: used, expired, revoked or unknown'),
    },
    handler: ({ params, body }) => invitations.accept(params.token, body),
  });
}
