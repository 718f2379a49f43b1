import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import {
  createFacebookPageSchema,
  facebookPageSchema,
  updateFacebookPageSchema,
} from './facebook-pages.schemas.js';
import type { FacebookPagesService } from './facebook-pages.service.js';

export function registerFacebookPageRoutes(router: ApiRouter, pages: FacebookPagesService): void {
  router.route({
    method: 'get',
    path: '/api/channels/facebook',
    access: 'admin',
    tag: 'Facebook pages',
    summary: "List the business's Facebook pages with their setup status",
    responses: {
      200: {
        description: 'Pages by name',
        schema: z.object({ items: z.array(facebookPageSchema) }),
      },
    },
    handler: async ({ actor }) => ({ items: await pages.list(actor) }),
  });

  router.route({
    method: 'post',
    path: '/api/channels/facebook',
    access: 'admin',
    tag: 'Facebook pages',
    summary: 'Connect a Facebook page (the token is checked with the Graph API)',
    body: createFacebookPageSchema,
    responses: {
      201: { description: 'The connected page', schema: facebookPageSchema },
      404: errorResponse('NOT_FOUND: the department is unknown'),
      409: errorResponse('PAGE_ALREADY_CONNECTED'),
      422: errorResponse("FACEBOOK_TOKEN_INVALID, with Facebook's reason"),
      502: errorResponse('FACEBOOK_UNAVAILABLE: Facebook did not answer; nothing was saved'),
    },
    handler: ({ actor, body }) => pages.create(actor, body),
  });

  router.route({
    method: 'get',
    path: '/api/channels/facebook/:id',
    access: 'admin',
    tag: 'Facebook pages',
    summary: 'One Facebook page',
    params: idParamsSchema,
    responses: {
      200: { description: 'The page', schema: facebookPageSchema },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => pages.get(actor, params.id),
  });

  router.route({
    method: 'patch',
    path: '/api/channels/facebook/:id',
    access: 'admin',
    tag: 'Facebook pages',
    summary: 'Change a page: replace the token or secret, department, human agent, (de)activate',
    params: idParamsSchema,
    body: updateFacebookPageSchema,
    responses: {
      200: { description: 'The updated page', schema: facebookPageSchema },
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('PAGE_ALREADY_CONNECTED'),
      422: errorResponse('FACEBOOK_TOKEN_INVALID | FACEBOOK_PAGE_MISMATCH'),
      502: errorResponse('FACEBOOK_UNAVAILABLE'),
    },
    handler: ({ actor, params, body }) => pages.update(actor, params.id, body),
  });

  router.route({
    method: 'post',
    path: '/api/channels/facebook/:id/check',
    access: 'admin',
    tag: 'Facebook pages',
    summary:
      'Probe the page now (/me, /app, debug_token): token validity and missing permissions, as the daily probe does',
    params: idParamsSchema,
    responses: {
      200: { description: 'The page with its health as found', schema: facebookPageSchema },
      404: errorResponse('NOT_FOUND'),
      502: errorResponse('FACEBOOK_UNAVAILABLE: Facebook did not answer; nothing changed'),
    },
    handler: ({ actor, params }) => pages.check(actor, params.id),
  });

  router.route({
    method: 'delete',
    path: '/api/channels/facebook/:id',
    access: 'admin',
    tag: 'Facebook pages',
    summary: 'Disconnect a page (its later events are acknowledged and dropped)',
    params: idParamsSchema,
    responses: { 204: { description: 'Deleted' }, 404: errorResponse('NOT_FOUND') },
    handler: ({ actor, params }) => pages.remove(actor, params.id),
  });
}
