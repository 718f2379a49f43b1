import { z } from 'zod';
import { idSchema } from '../../http/schemas.js';
import {
  OUTBOUND_WEBHOOK_DELIVERY_STATUSES,
  type OutboundWebhookDelivery,
} from './outbound-webhook-delivery.entity.js';
import { WEBHOOK_EVENTS } from './webhook-events.js';
import type { WebhookSubscription } from './webhook-subscription.entity.js';

export const MAX_WEBHOOK_URL_LENGTH = 2000;

const webhookEventSchema = z.enum(WEBHOOK_EVENTS).meta({ id: 'WebhookEvent' });

const webhookUrlSchema = z
  .string()
  .trim()
  .max(MAX_WEBHOOK_URL_LENGTH, `Use at most ${MAX_WEBHOOK_URL_LENGTH} characters.`)
  .pipe(z.url('Enter a URL such as https://example.com/omni-webhook.'))
  .meta({ description: 'Where events are POSTed: https, on a public host' });

const webhookEventsSchema = z
  .array(webhookEventSchema)
  .min(1, 'Choose at least one event.')
  .transform((events) => WEBHOOK_EVENTS.filter((event) => events.includes(event)));

export const createWebhookSubscriptionSchema = z
  .object({ url: webhookUrlSchema, events: webhookEventsSchema })
  .meta({ id: 'CreateWebhookSubscriptionInput' });
export type CreateWebhookSubscriptionInput = z.infer<typeof createWebhookSubscriptionSchema>;

export const updateWebhookSubscriptionSchema = z
  .object({
    url: webhookUrlSchema.optional(),
    events: webhookEventsSchema.optional(),
    enabled: z.boolean().optional().meta({
      description: 'Off: no event is sent. On again after Omni disabled it: it is retried anew',
    }),
  })
  .meta({ id: 'UpdateWebhookSubscriptionInput' });
export type UpdateWebhookSubscriptionInput = z.infer<typeof updateWebhookSubscriptionSchema>;

/** A subscription as the list shows it: never its secret. */
export const webhookSubscriptionSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(webhookEventSchema),
    enabled: z.boolean(),
    disabledAt: z.iso.datetime().nullable().meta({
      description: 'When Omni turned it off because its endpoint failed for 24 hours',
    }),
    failingSince: z.iso.datetime().nullable().meta({
      description: 'Since when every attempt failed (null: the last one succeeded)',
    }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookSubscription' });
export type WebhookSubscriptionDto = z.infer<typeof webhookSubscriptionSchema>;

/** The answer to a creation: the only time the secret is shown. */
export const createdWebhookSubscriptionSchema = webhookSubscriptionSchema
  .extend({
    secret: z.string().meta({
      description:
        '`whsec_…`: the key of X-Omni-Signature (HMAC-SHA256 of the raw body). Shown only now.',
    }),
  })
  .meta({ id: 'CreatedWebhookSubscription' });
export type CreatedWebhookSubscriptionDto = z.infer<typeof createdWebhookSubscriptionSchema>;

export const webhookDeliverySchema = z
  .object({
    id: z.string().meta({ description: 'X-Omni-Delivery: the same across retries' }),
    event: webhookEventSchema,
    status: z.enum(OUTBOUND_WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.iso.datetime().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'OutboundWebhookDelivery' });
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;

export const deliveryParamsSchema = z.object({ id: idSchema, deliveryId: idSchema });

export function toWebhookSubscriptionDto(
  subscription: WebhookSubscription,
): WebhookSubscriptionDto {
  return {
    id: subscription.id,
    url: subscription.url,
    events: subscription.events,
    enabled: subscription.enabled,
    disabledAt: subscription.disabledAt?.toISOString() ?? null,
    failingSince: subscription.failingSince?.toISOString() ?? null,
    createdAt: subscription.createdAt.toISOString(),
  };
}

export function toWebhookDeliveryDto(delivery: OutboundWebhookDelivery): WebhookDeliveryDto {
  return {
    id: delivery.id,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    responseStatus: delivery.responseStatus,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}
