import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import {
  deliveryParamsSchema,
  listDeliveriesQuerySchema,
  replayResultSchema,
  webhookDeliveriesPageSchema,
} from './webhook-deliveries.schemas.js';
import type { WebhookDeliveriesService } from './webhook-deliveries.service.js';

export function registerWebhookDeliveryRoutes(
  router: ApiRouter,
  deliveries: WebhookDeliveriesService,
): void {
  router.route({
    method: 'get',
    path: '/api/channels/facebook/:id/deliveries',
    access: 'admin',
    tag: 'Facebook pages',
    summary:
      "The page's recent webhook deliveries, newest first: verdict, why, events, the messages they became",
    params: idParamsSchema,
    query: listDeliveriesQuerySchema,
    responses: {
      200: { description: 'A page of deliveries', schema: webhookDeliveriesPageSchema },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params, query }) => deliveries.list(actor, params.id, query.cursor),
  });

  router.route({
    method: 'post',
    path: '/api/channels/facebook/:id/deliveries/:deliveryId/replay',
    access: 'admin',
    tag: 'Facebook pages',
    summary:
      'Process a stored delivery again (exactly once still holds: a processed one creates nothing new)',
    params: deliveryParamsSchema,
    responses: {
      200: { description: 'The delivery after the replay', schema: replayResultSchema },
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('RAW_BODY_NOT_KEPT: its content is not kept, nothing to replay'),
    },
    handler: ({ actor, params }) => deliveries.replay(actor, params.id, params.deliveryId),
  });
}
