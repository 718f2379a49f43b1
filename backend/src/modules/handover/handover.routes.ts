import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import type { ThreadHandoverService } from './thread-handover.service.js';

export function registerHandoverRoutes(router: ApiRouter, handover: ThreadHandoverService): void {
  router.route({
    method: 'post',
    path: '/api/conversations/:id/thread-control/request',
    access: 'authenticated',
    tag: 'Replies',
    summary:
      "Handover protocol: ask for the visitor's thread while another app (the page's bot) controls it. `taken`: it was idle and Omni took it (take_thread_control), reply now; `requested`: the primary app was asked (request_thread_control) and decides, its pass shows as threadControl omni",
    params: idParamsSchema,
    responses: {
      200: {
        description: 'How it went',
        schema: z
          .object({ outcome: z.enum(['taken', 'requested']) })
          .meta({ id: 'ThreadControlRequestResult' }),
      },
      404: errorResponse('NOT_FOUND'),
      409: errorResponse(
        'HANDOVER_NOT_ENABLED | THREAD_ALREADY_CONTROLLED | THREAD_CONTROL_REFUSED',
      ),
      502: errorResponse('FACEBOOK_UNAVAILABLE'),
    },
    handler: async ({ actor, params }) => ({
      outcome: await handover.requestControl(actor, params.id),
    }),
  });
}
