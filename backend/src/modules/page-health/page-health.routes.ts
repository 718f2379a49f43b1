import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { pageHealthSchema, pageReadinessSchema } from './page-health.schemas.js';
import type { PageHealthService } from './page-health.service.js';
import type { PageReadinessService } from './page-readiness.js';

export function registerPageHealthRoutes(
  router: ApiRouter,
  health: PageHealthService,
  readiness: PageReadinessService,
): void {
  router.route({
    method: 'get',
    path: '/api/page-health',
    access: 'authenticated',
    tag: 'Facebook pages',
    summary:
      "The health of the active pages whose chats the user works (the panel's banners; live through page.updated)",
    responses: {
      200: {
        description: 'Pages by name',
        schema: z.object({ items: z.array(pageHealthSchema) }),
      },
    },
    handler: async ({ actor }) => ({ items: await health.listVisible(actor) }),
  });

  router.route({
    method: 'get',
    path: '/api/channels/facebook/:id/readiness',
    access: 'admin',
    tag: 'Facebook pages',
    summary:
      "The App Review co-pilot: whether the page is ready for Meta's review, checked with Facebook now",
    params: idParamsSchema,
    responses: {
      200: {
        description:
          'token, permissions, webhook, subscription, first_message and human_agent; a check Facebook could not answer says so',
        schema: pageReadinessSchema,
      },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => readiness.check(actor, params.id),
  });
}
