import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import {
  apiTokenSchema,
  createApiTokenSchema,
  createdApiTokenSchema,
} from './api-tokens.schemas.js';
import type { ApiTokensService } from './api-tokens.service.js';

export function registerApiTokenRoutes(router: ApiRouter, apiTokens: ApiTokensService): void {
  router.route({
    method: 'get',
    path: '/api/api-tokens',
    access: 'admin',
    tag: 'API tokens',
    summary: "The workspace's API tokens, newest first (never the tokens themselves)",
    responses: {
      200: { description: 'Every token', schema: z.object({ items: z.array(apiTokenSchema) }) },
      403: errorResponse('FORBIDDEN'),
    },
    handler: async () => ({ items: await apiTokens.list() }),
  });

  router.route({
    method: 'post',
    path: '/api/api-tokens',
    access: 'admin',
    tag: 'API tokens',
    summary:
      'Create an API token: `Authorization: Bearer omni_…` then acts as the workspace admin. The token is in this answer only',
    body: createApiTokenSchema,
    responses: {
      201: { description: 'The new token, shown this once', schema: createdApiTokenSchema },
      403: errorResponse('FORBIDDEN | USER_SESSION_REQUIRED'),
    },
    handler: ({ actor, body }) => apiTokens.create(actor, body),
  });

  router.route({
    method: 'delete',
    path: '/api/api-tokens/:id',
    access: 'admin',
    tag: 'API tokens',
    summary: 'Revoke an API token: requests with it are refused from now on',
    params: idParamsSchema,
    responses: {
      204: { description: 'Revoked' },
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => apiTokens.revoke(actor, params.id),
  });
}
