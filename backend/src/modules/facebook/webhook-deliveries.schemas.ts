import { z } from 'zod';
import { keysetCursorSchema } from '../../http/cursor.js';
import { idSchema } from '../../http/schemas.js';
import { WEBHOOK_EVENT_STATUSES } from './webhook-event.entity.js';

/** Deliveries a page of the inspector holds. */
export const DELIVERIES_PAGE_SIZE = 50;

export const deliveryParamsSchema = z.object({ id: idSchema, deliveryId: idSchema });

export const listDeliveriesQuerySchema = z.object({ cursor: keysetCursorSchema.optional() });

const deliveryDiagnosticSchema = z
  .object({
    type: z.string().meta({ description: "The event's type (optin, handover, invalid, …)" }),
    psid: z.string().meta({ description: 'The visitor it was about, as Facebook sent it' }),
    reason: z.string().nullable().meta({ description: 'For an invalid event: what made it so' }),
  })
  .meta({ id: 'DeliveryDiagnostic' });

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    receivedAt: z.string(),
    status: z.enum(WEBHOOK_EVENT_STATUSES),
    events: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Events in the delivery; null when its body is not kept' }),
    error: z
      .string()
      .nullable()
      .meta({ description: 'Why it was ignored or failed (or why the last attempt failed)' }),
    messageIds: z.array(z.string()).meta({ description: 'The messages it became' }),
    messages: z
      .array(z.object({ id: z.string(), conversationId: z.string() }))
      .meta({ description: 'The same messages with their conversations (addition)' }),
    diagnostics: z
      .array(deliveryDiagnosticSchema)
      .meta({ description: 'Events kept for diagnosis only, not made messages (addition)' }),
    attempts: z.number().int(),
    processedAt: z.string().nullable(),
    canReplay: z
      .boolean()
      .meta({ description: 'Its body is kept (ignored deliveries never keep theirs)' }),
  })
  .meta({ id: 'WebhookDelivery' });

export const webhookDeliveriesPageSchema = z.object({
  items: z.array(webhookDeliverySchema),
  nextCursor: z.string().nullable(),
});

export const replayResultSchema = z
  .object({
    replayed: z.literal(true),
    newMessages: z
      .number()
      .int()
      .meta({ description: 'Messages this replay created: 0 for a delivery already processed' }),
    delivery: webhookDeliverySchema,
  })
  .meta({ id: 'DeliveryReplay' });

export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;
export type WebhookDeliveriesPage = z.infer<typeof webhookDeliveriesPageSchema>;
export type ReplayResult = z.infer<typeof replayResultSchema>;
