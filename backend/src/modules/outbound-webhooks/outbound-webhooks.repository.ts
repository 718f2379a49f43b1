import { pgArray, pgRecords, type Sql } from '../../db/sql.js';
import type { OutboundWebhookDeliveryStatus } from './outbound-webhook-delivery.entity.js';
import type { WebhookEvent } from './webhook-events.js';

/** A delivery to write: its body is final (every attempt sends these bytes). */
export type NewDelivery = {
  id: string;
  subscriptionId: string;
  event: WebhookEvent;
  body: string;
  /** The conversation the body is about (erasing its visitor deletes the delivery). */
  conversationId: string;
  createdAt: Date;
  giveUpAt: Date;
};

/** A delivery as an attempt needs it, with its subscription. */
export type DeliveryToAttempt = {
  id: string;
  tenantId: string;
  subscriptionId: string;
  event: WebhookEvent;
  body: string;
  status: OutboundWebhookDeliveryStatus;
  attempts: number;
  giveUpAt: Date;
  url: string;
  secretSealed: string;
  isSubscriptionEnabled: boolean;
};

/** What an attempt came to, as the delivery's row records it. */
export type AttemptRecord = {
  status: OutboundWebhookDeliveryStatus;
  responseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
};

/** The set-based statements of outbound webhooks (the rest goes through the ORM). */
export class OutboundWebhooksRepository {
  constructor(private readonly sql: Sql) {}

  /** The tenant's enabled subscriptions that want any of `events`, with what they want. */
  async subscriptionsWanting(
    tenantId: string,
    events: WebhookEvent[],
  ): Promise<{ id: string; events: WebhookEvent[] }[]> {
    if (events.length === 0) return [];
    return this.sql.forTenant(tenantId)<{ id: string; events: WebhookEvent[] }>(
      `select id, events from webhook_subscription
       where tenant_id = :tenant and enabled
         and exists (select 1 from jsonb_array_elements_text(events) e where e = any(?::text[]))
       order by id`,
      [pgArray(events)],
    );
  }

  /**
   * Writes deliveries, skipping those that exist (their ids are derived from what caused
   * them: an outbox entry performed again writes nothing new).
   */
  async insertDeliveries(tenantId: string, deliveries: NewDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.sql.forTenant(tenantId)(
      `insert into outbound_webhook_delivery (id, created_at, updated_at, tenant_id,
         subscription_id, event, body, conversation_id, status, attempts, next_attempt_at,
         give_up_at)
       select r.id, r.created_at, r.created_at, :tenant, r.subscription_id, r.event, r.body,
         r.conversation_id, 'pending', 0, r.created_at, r.give_up_at
       from jsonb_to_recordset(?::jsonb) as r(id uuid, subscription_id uuid, event text,
         body text, conversation_id uuid, created_at timestamptz, give_up_at timestamptz)
       join webhook_subscription s on s.id = r.subscription_id and s.tenant_id = :tenant
       on conflict (id) do nothing`,
      [
        pgRecords(
          deliveries.map((delivery) => ({
            id: delivery.id,
            subscription_id: delivery.subscriptionId,
            event: delivery.event,
            body: delivery.body,
            conversation_id: delivery.conversationId,
            created_at: delivery.createdAt,
            give_up_at: delivery.giveUpAt,
          })),
        ),
      ],
    );
  }

  /** A delivery of the tenant's, with its subscription; null when gone. */
  async findDelivery(tenantId: string, deliveryId: string): Promise<DeliveryToAttempt | null> {
    const [row] = await this.sql.forTenant(tenantId)<{
      id: string;
      tenant_id: string;
      subscription_id: string;
      event: WebhookEvent;
      body: string;
      status: OutboundWebhookDeliveryStatus;
      attempts: number;
      give_up_at: string;
      url: string;
      secret_sealed: string;
      enabled: boolean;
    }>(
      `select d.id, d.tenant_id, d.subscription_id, d.event, d.body, d.status, d.attempts,
         d.give_up_at, s.url, s.secret_sealed, s.enabled
       from outbound_webhook_delivery d
       join webhook_subscription s on s.id = d.subscription_id
       where d.id = ? and d.tenant_id = :tenant`,
      [deliveryId],
    );
    if (!row) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      subscriptionId: row.subscription_id,
      event: row.event,
      body: row.body,
      status: row.status,
      attempts: row.attempts,
      giveUpAt: new Date(row.give_up_at),
      url: row.url,
      secretSealed: row.secret_sealed,
      isSubscriptionEnabled: row.enabled,
    };
  }

  /**
   * Records an attempt on a delivery that was pending with `attemptsBefore` attempts; false
   * when it changed meanwhile (then this attempt's outcome is not written over it).
   */
  async recordAttempt(
    tenantId: string,
    deliveryId: string,
    attemptsBefore: number,
    attempt: AttemptRecord,
  ): Promise<boolean> {
    const rows = await this.sql.forTenant(tenantId)(
      `update outbound_webhook_delivery set attempts = attempts + 1, status = ?,
         response_status = ?, last_error = ?, next_attempt_at = ?,
         delivered_at = case when ? = 'delivered' then now() else delivered_at end,
         updated_at = now()
       where id = ? and tenant_id = :tenant and status = 'pending' and attempts = ?
       returning id`,
      [
        attempt.status,
        attempt.responseStatus,
        attempt.lastError,
        attempt.nextAttemptAt,
        attempt.status,
        deliveryId,
        attemptsBefore,
      ],
    );
    return rows.length > 0;
  }

  /** Fails a delivery without an attempt (its subscription was disabled meanwhile). */
  async failWithoutAttempt(tenantId: string, deliveryId: string, reason: string): Promise<void> {
    await this.sql.forTenant(tenantId)(
      `update outbound_webhook_delivery set status = 'failed', last_error = ?,
         next_attempt_at = null, updated_at = now()
       where id = ? and tenant_id = :tenant`,
      [reason, deliveryId],
    );
  }

  /** The endpoint answered: it is healthy again. */
  async markSubscriptionHealthy(tenantId: string, subscriptionId: string): Promise<void> {
    await this.sql.forTenant(tenantId)(
      `update webhook_subscription set failing_since = null
       where id = ? and tenant_id = :tenant and failing_since is not null`,
      [subscriptionId],
    );
  }

  /**
   * The endpoint failed an attempt: it is failing since then, unless it already was. Returns
   * since when it fails and whether it is still enabled (null: the subscription is gone).
   */
  async markSubscriptionFailing(
    tenantId: string,
    subscriptionId: string,
    now: Date,
  ): Promise<{ failingSince: Date; isEnabled: boolean } | null> {
    const [row] = await this.sql.forTenant(tenantId)<{ failing_since: string; enabled: boolean }>(
      `update webhook_subscription set failing_since = coalesce(failing_since, ?)
       where id = ? and tenant_id = :tenant
       returning failing_since, enabled`,
      [now, subscriptionId],
    );
    return row ? { failingSince: new Date(row.failing_since), isEnabled: row.enabled } : null;
  }

  /** Omni disables a failing subscription; its pending deliveries fail with `reason`. */
  async disableFailing(
    tenantId: string,
    subscriptionId: string,
    now: Date,
    reason: string,
  ): Promise<void> {
    await this.sql.forTenant(tenantId)(
      `update webhook_subscription set enabled = false, disabled_at = ?, updated_at = now()
       where id = ? and tenant_id = :tenant`,
      [now, subscriptionId],
    );
    await this.failPending(tenantId, subscriptionId, reason);
  }

  /** Fails every pending delivery of a subscription (disabled: nothing more is attempted). */
  async failPending(tenantId: string, subscriptionId: string, reason: string): Promise<void> {
    await this.sql.forTenant(tenantId)(
      `update outbound_webhook_delivery set status = 'failed', last_error = ?,
         next_attempt_at = null, updated_at = now()
       where subscription_id = ? and tenant_id = :tenant and status = 'pending'`,
      [reason, subscriptionId],
    );
  }

  /** The tenant's admins: who is told that Omni disabled a subscription. */
  async adminIds(tenantId: string): Promise<string[]> {
    const rows = await this.sql.forTenant(tenantId)<{ id: string }>(
      `select id from app_user where tenant_id = :tenant and role = 'admin' order by id`,
    );
    return rows.map((row) => row.id);
  }

  /** Makes a finished delivery pending again for one attempt now (an admin's retry). */
  async retryNow(tenantId: string, deliveryId: string): Promise<void> {
    await this.sql.forTenant(tenantId)(
      `update outbound_webhook_delivery set status = 'pending', next_attempt_at = now(),
         give_up_at = now(), updated_at = now()
       where id = ? and tenant_id = :tenant`,
      [deliveryId],
    );
  }

  /**
   * Pending deliveries whose attempt is overdue by `graceMs` (their job was lost with Redis,
   * or failed for good on a database error): the sweep queues them again. Across tenants.
   */
  async overdue(graceMs: number, limit: number): Promise<{ id: string; tenantId: string }[]> {
    const rows = await this.sql.acrossTenants<{ id: string; tenant_id: string }>(
      `select id, tenant_id from outbound_webhook_delivery
       where status = 'pending' and next_attempt_at < now() - ?::float8 * interval '1 millisecond'
       order by next_attempt_at
       limit ?`,
      [graceMs, limit],
    );
    return rows.map((row) => ({ id: row.id, tenantId: row.tenant_id }));
  }
}
