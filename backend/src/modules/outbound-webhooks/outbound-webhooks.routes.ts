import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import {
  createdWebhookSubscriptionSchema,
  createWebhookSubscriptionSchema,
  deliveryParamsSchema,
  updateWebhookSubscriptionSchema,
  webhookDeliverySchema,
  webhookSubscriptionSchema,
} from './outbound-webhooks.schemas.js';
import type { OutboundWebhooksService } from './outbound-webhooks.service.js';

const TAG = 'Outbound webhooks';

export function registerOutboundWebhookRoutes(
  router: ApiRouter,
  webhooks: OutboundWebhooksService,
): void {
  router.route({
    method: 'get',
    path: '/api/webhook-subscriptions',
    access: 'admin',
    tag: TAG,
    summary: "The workspace's webhook subscriptions, newest first (never their secrets)",
    responses: {
      200: {
        description: 'Every subscription',
        schema: z.object({ items: z.array(webhookSubscriptionSchema) }),
      },
      403: errorResponse('FORBIDDEN'),
    },
    handler: async () => ({ items: await webhooks.list() }),
  });

  router.route({
    method: 'post',
    path: '/api/webhook-subscriptions',
    access: 'admin',
    tag: TAG,
    summary:
      'Subscribe a URL to events: each is POSTed signed with the secret in this answer (shown only now)',
    body: createWebhookSubscriptionSchema,
    responses: {
      201: {
        description: 'The new subscription and its secret',
        schema: createdWebhookSubscriptionSchema,
      },
      400: errorResponse('VALIDATION_FAILED | WEBHOOK_URL_REFUSED'),
      403: errorResponse('FORBIDDEN'),
    },
    handler: ({ actor, body }) => webhooks.create(actor, body),
  });

  router.route({
    method: 'patch',
    path: '/api/webhook-subscriptions/:id',
    access: 'admin',
    tag: TAG,
    summary: 'Change the URL, the events, or turn the subscription off or on',
    params: idParamsSchema,
    body: updateWebhookSubscriptionSchema,
    responses: {
      200: { description: 'The subscription as it is now', schema: webhookSubscriptionSchema },
      400: errorResponse('VALIDATION_FAILED | WEBHOOK_URL_REFUSED'),
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params, body }) => webhooks.update(actor, params.id, body),
  });

  router.route({
    method: 'delete',
    path: '/api/webhook-subscriptions/:id',
    access: 'admin',
    tag: TAG,
    summary: 'Delete a subscription and its delivery log',
    params: idParamsSchema,
    responses: {
      204: { description: 'Deleted' },
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => webhooks.remove(actor, params.id),
  });

  router.route({
    method: 'get',
    path: '/api/webhook-subscriptions/:id/deliveries',
    access: 'admin',
    tag: TAG,
    summary: "The subscription's latest deliveries, newest first, with what became of each",
    params: idParamsSchema,
    responses: {
      200: {
        description: 'The latest deliveries',
        schema: z.object({ items: z.array(webhookDeliverySchema) }),
      },
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND'),
    },
    handler: async ({ params }) => ({ items: await webhooks.deliveries(params.id) }),
  });

  router.route({
    method: 'post',
    path: '/api/webhook-subscriptions/:id/deliveries/:deliveryId/retry',
    access: 'admin',
    tag: TAG,
    summary:
      'Send a failed (or delivered) delivery once more, now, with the same id, body and signature',
    params: deliveryParamsSchema,
    responses: {
      200: { description: 'The delivery, pending again', schema: webhookDeliverySchema },
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('DELIVERY_PENDING | WEBHOOK_DISABLED'),
    },
    handler: ({ actor, params }) => webhooks.retry(actor, params.id, params.deliveryId),
  });
}
