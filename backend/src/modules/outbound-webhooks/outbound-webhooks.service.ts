import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { findByIdOrFail } from '../../db/find.js';
import { flushWith, sqlIn } from '../../db/sql.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import { diffFields, recordAudit } from '../audit/audit-recorder.js';
import type { Actor } from '../auth/actor.js';
import { User } from '../operators/user.entity.js';
import {
  OutboundUrlRefusedError,
  type OutboundHttp,
  type UrlRule,
} from '../outbound-http/outbound-http.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { OutboundWebhookDelivery } from './outbound-webhook-delivery.entity.js';
import { OutboundWebhooksRepository } from './outbound-webhooks.repository.js';
import {
  toWebhookDeliveryDto,
  toWebhookSubscriptionDto,
  type CreateWebhookSubscriptionInput,
  type CreatedWebhookSubscriptionDto,
  type UpdateWebhookSubscriptionInput,
  type WebhookDeliveryDto,
  type WebhookSubscriptionDto,
} from './outbound-webhooks.schemas.js';
import {
  WEBHOOK_SUBSCRIPTION_SECRETS,
  WebhookSubscription,
} from './webhook-subscription.entity.js';

/** The log shows this many of a subscription's latest deliveries. */
export const DELIVERY_LOG_LENGTH = 50;

/** 400 WEBHOOK_URL_REFUSED: not an https URL of a public host (the SSRF guard's reason in details). */
export class WebhookUrlRefusedError extends BadRequestError {
  constructor(reason: string) {
    super(
      'WEBHOOK_URL_REFUSED',
      'Omni only sends webhooks to https URLs of public hosts. Check the address.',
      { reason, fields: { url: reason } },
    );
  }
}

/**
 * The tenant's outbound webhooks (admin routes): subscriptions, each one's delivery log, and
 * an admin's retry of a delivery. URLs pass the same SSRF guard as every delivery. Changes
 * are recorded in the audit log, never the secret.
 */
export class OutboundWebhooksService {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
    private readonly guard: { http: Pick<OutboundHttp, 'check'>; rule: UrlRule },
    private readonly queues: Pick<JobQueues, 'runNow'>,
  ) {}

  async list(): Promise<WebhookSubscriptionDto[]> {
    const subscriptions = await this.em.find(
      WebhookSubscription,
      {},
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    return subscriptions.map(toWebhookSubscriptionDto);
  }

  /** A new subscription and its secret, shown this once. */
  async create(
    actor: Actor,
    input: CreateWebhookSubscriptionInput,
  ): Promise<CreatedWebhookSubscriptionDto> {
    await this.checkUrl(input.url);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const subscription = new WebhookSubscription(
      this.em.getReference(Tenant, actor.tenantId),
      input.url,
      input.events,
      '',
      actor.userId ? this.em.getReference(User, actor.userId) : null,
    );
    subscription.secretSealed = this.secrets.seal(secret, this.sealContext(subscription.id));
    await flushWith(this.em.persist(subscription), (sql) =>
      recordAudit(sql, actor, {
        action: 'webhook.created',
        target: { type: 'webhook', id: subscription.id, name: subscription.url },
        changes: diffFields({}, auditedFields(subscription)),
      }),
    );
    return { ...toWebhookSubscriptionDto(subscription), secret };
  }

  /**
   * Changes the URL (checked again), the events, or whether it is on. Turning it on again
   * forgets the failures that turned it off.
   */
  async update(
    actor: Actor,
    id: string,
    input: UpdateWebhookSubscriptionInput,
  ): Promise<WebhookSubscriptionDto> {
    const subscription = await this.find(id);
    const before = auditedFields(subscription);
    if (input.url !== undefined && input.url !== subscription.url) {
      await this.checkUrl(input.url);
      subscription.url = input.url;
    }
    if (input.events !== undefined) subscription.events = input.events;
    if (input.enabled !== undefined && input.enabled !== subscription.enabled) {
      subscription.enabled = input.enabled;
      subscription.disabledAt = null;
      if (input.enabled) subscription.failingSince = null;
    }
    await flushWith(this.em, async (sql) => {
      // Off: what was still being retried stops now rather than at its next attempt.
      if (!subscription.enabled) {
        await new OutboundWebhooksRepository(sql).failPending(
          actor.tenantId,
          subscription.id,
          'The webhook was turned off.',
        );
      }
      await recordAudit(sql, actor, {
        action: 'webhook.updated',
        target: { type: 'webhook', id: subscription.id, name: subscription.url },
        changes: diffFields(before, auditedFields(subscription)),
      });
    });
    return toWebhookSubscriptionDto(subscription);
  }

  /** Deletes the subscription with its delivery log; nothing more is sent to it. */
  async remove(actor: Actor, id: string): Promise<void> {
    const subscription = await this.find(id);
    const before = auditedFields(subscription);
    await flushWith(this.em.remove(subscription), (sql) =>
      recordAudit(sql, actor, {
        action: 'webhook.deleted',
        target: { type: 'webhook', id: subscription.id, name: subscription.url },
        changes: diffFields(before, {}),
      }),
    );
  }

  /** The subscription's latest deliveries, newest first. */
  async deliveries(id: string): Promise<WebhookDeliveryDto[]> {
    const subscription = await this.find(id);
    const deliveries = await this.em.find(
      OutboundWebhookDelivery,
      { subscription },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: DELIVERY_LOG_LENGTH },
    );
    return deliveries.map(toWebhookDeliveryDto);
  }

  /**
   * Sends a finished delivery (failed, or delivered and wanted again) once more, now, with
   * the same id, body and signature. One attempt: if it fails, the delivery is failed again.
   */
  async retry(actor: Actor, id: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    const subscription = await this.find(id);
    const delivery = await this.em.findOne(OutboundWebhookDelivery, {
      id: deliveryId,
      subscription,
    });
    if (!delivery) throw new NotFoundError('The delivery');
    if (!subscription.enabled) {
      throw new ConflictError(
        'WEBHOOK_DISABLED',
        'This webhook is turned off. Turn it on before retrying its deliveries.',
      );
    }
    if (delivery.status === 'pending') {
      throw new ConflictError(
        'DELIVERY_PENDING',
        'This delivery is still being sent; Omni retries it by itself.',
      );
    }
    await new OutboundWebhooksRepository(sqlIn(this.em)).retryNow(actor.tenantId, delivery.id);
    await this.queues.runNow(
      'webhook-delivery',
      { tenantId: actor.tenantId, deliveryId: delivery.id },
      delivery.id,
    );
    await this.em.refresh(delivery);
    return toWebhookDeliveryDto(delivery);
  }

  private find(id: string): Promise<WebhookSubscription> {
    return findByIdOrFail(this.em, WebhookSubscription, id, 'The webhook');
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await this.guard.http.check(url, this.guard.rule);
    } catch (error) {
      if (error instanceof OutboundUrlRefusedError) throw new WebhookUrlRefusedError(error.message);
      throw error;
    }
  }

  private sealContext(rowId: string) {
    return { purpose: WEBHOOK_SUBSCRIPTION_SECRETS.secretSealed.purpose, rowId };
  }
}

/** What the audit log shows of a subscription (never its secret). */
function auditedFields(subscription: WebhookSubscription): Record<string, unknown> {
  return { url: subscription.url, events: subscription.events, enabled: subscription.enabled };
}
