import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { pageHealthSchema } from './page-health.schemas.js';
import type { PageHealthService } from './page-health.service.js';

export function registerPageHealthRoutes(router: ApiRouter, health: PageHealthService): void {
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
}
