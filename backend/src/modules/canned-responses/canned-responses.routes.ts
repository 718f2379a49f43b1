import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import {
  cannedResponseSchema,
  createCannedResponseSchema,
  listCannedResponsesQuerySchema,
  updateCannedResponseSchema,
} from './canned-responses.schemas.js';
import type { CannedResponsesService } from './canned-responses.service.js';

export function registerCannedResponseRoutes(
  router: ApiRouter,
  cannedResponses: CannedResponsesService,
): void {
  router.route({
    method: 'get',
    path: '/api/canned-responses',
    access: 'authenticated',
    tag: 'Canned responses',
    summary: "What the caller may use: the tenant's, their departments' and their own",
    query: listCannedResponsesQuerySchema,
    responses: {
      200: {
        description: 'Canned responses by shortcut',
        schema: z.object({ items: z.array(cannedResponseSchema) }),
      },
    },
    handler: async ({ actor, query }) => ({ items: await cannedResponses.list(actor, query) }),
  });

  router.route({
    method: 'post',
    path: '/api/canned-responses',
    access: 'authenticated',
    tag: 'Canned responses',
    summary: 'Create a canned response (tenant and department ones: admins only)',
    body: createCannedResponseSchema,
    responses: {
      201: { description: 'The new canned response', schema: cannedResponseSchema },
      403: errorResponse('FORBIDDEN'),
      409: errorResponse('SHORTCUT_TAKEN'),
    },
    handler: ({ actor, body }) => cannedResponses.create(actor, body),
  });

  router.route({
    method: 'patch',
    path: '/api/canned-responses/:id',
    access: 'authenticated',
    tag: 'Canned responses',
    summary: 'Change the shortcut, title or text of a canned response the caller manages',
    params: idParamsSchema,
    body: updateCannedResponseSchema,
    responses: {
      200: { description: 'The changed canned response', schema: cannedResponseSchema },
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('SHORTCUT_TAKEN'),
    },
    handler: ({ actor, params, body }) => cannedResponses.update(actor, params.id, body),
  });

  router.route({
    method: 'delete',
    path: '/api/canned-responses/:id',
    access: 'authenticated',
    tag: 'Canned responses',
    summary: 'Delete a canned response the caller manages',
    params: idParamsSchema,
    responses: {
      204: { description: 'Deleted' },
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => cannedResponses.remove(actor, params.id),
  });
}
