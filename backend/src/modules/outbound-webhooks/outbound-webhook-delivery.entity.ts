import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import type { WebhookEvent } from './webhook-events.js';
import type { WebhookSubscription } from './webhook-subscription.entity.js';

export const OUTBOUND_WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type OutboundWebhookDeliveryStatus = (typeof OUTBOUND_WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * One event for one subscription: the exact body POSTed (so every retry sends the same bytes
 * and signature) and what became of it. Its id is derived from the outbox entry, the
 * subscription, the event and the record (webhook-producer.ts), so an outbox entry performed
 * twice writes it once; it is the `X-Omni-Delivery` header and the body's `id`. Rows are
 * written with plain SQL (outbound-webhooks.repository.ts); the entity describes the table.
 */
export class OutboundWebhookDelivery extends TenantOwnedEntity {
  status: OutboundWebhookDeliveryStatus = 'pending';
  /** Requests made (a retry counts one). */
  attempts = 0;
  /** The endpoint's HTTP status at the last attempt; null when it gave none (timeout, refused). */
  responseStatus: number | null = null;
  lastError: string | null = null;
  /** When the next attempt is due while pending (the sweep re-enqueues lost ones after it). */
  nextAttemptAt: Date | null = null;
  /**
   * No attempt is made after this: a day after the event, or at once after an admin's retry
   * (one attempt). A failed attempt whose next one would come later fails the delivery.
   */
  giveUpAt: Date = new Date();
  deliveredAt: Date | null = null;
  /** The conversation the body is about: its visitor's erasure deletes the delivery. */
  conversationId: string | null = null;

  constructor(
    tenant: Tenant,
    public subscription: WebhookSubscription,
    public event: WebhookEvent,
    /** The JSON body as sent: `{id, event, createdAt, tenantId, data}`. */
    public body: string,
  ) {
    super(tenant);
  }
}

export const OutboundWebhookDeliverySchema = new EntitySchema<
  OutboundWebhookDelivery,
  TenantOwnedEntity
>({
  class: OutboundWebhookDelivery,
  extends: 'TenantOwnedEntity',
  properties: {
    subscription: { kind: 'm:1', entity: 'WebhookSubscription', deleteRule: 'cascade' },
    // Text rather than enums: a new event or status needs no migration.
    event: { type: 'text' },
    body: { type: 'text' },
    status: { type: 'text', default: 'pending' },
    attempts: { type: 'integer', default: 0 },
    responseStatus: { type: 'integer', nullable: true },
    lastError: { type: 'text', nullable: true },
    nextAttemptAt: { type: 'datetime', nullable: true },
    giveUpAt: { type: 'datetime' },
    deliveredAt: { type: 'datetime', nullable: true },
    conversationId: {
      type: 'uuid',
      nullable: true,
      index: 'outbound_webhook_delivery_conversation_id_index',
    },
  },
  indexes: [
    // A subscription's log, newest first.
    {
      name: 'outbound_webhook_delivery_subscription_created_index',
      properties: ['subscription', 'createdAt'],
    },
    // The sweep looks for pending deliveries whose attempt is overdue.
    {
      name: 'outbound_webhook_delivery_pending_index',
      expression: `create index "outbound_webhook_delivery_pending_index" on "outbound_webhook_delivery" ("next_attempt_at") where "status" = 'pending'`,
    },
  ],
});
