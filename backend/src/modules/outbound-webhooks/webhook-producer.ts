import type { EntityManager } from '@mikro-orm/postgresql';
import { v5 as uuidv5 } from 'uuid';
import { sqlIn } from '../../db/sql.js';
import { scopeToTenant } from '../../db/tenant-filter.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import type { OutboxEntryRef, OutboxKind, OutboxPayloads } from '../../outbox/outbox-map.js';
import { findMessages, presentConversations } from '../conversations/conversation-records.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { toMessageDto, type FileLinker } from '../conversations/conversations.schemas.js';
import { OutboundWebhooksRepository, type NewDelivery } from './outbound-webhooks.repository.js';
import { webhookEventsOf, type WebhookEventOccurrence } from './webhook-events.js';

/** Deliveries are attempted for this long after their event, then failed. */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3600_000;

/** The namespace of delivery ids (UUID v5 of what caused each delivery). */
const DELIVERY_ID_NAMESPACE = '5b0c4f0e-3f6a-4c55-9d47-0f8e3c9a2b61';

/**
 * A delivery's id: the same for the same outbox entry, subscription, event and record, so an
 * entry performed twice (the outbox is at least once) writes and queues one delivery.
 */
export function deliveryIdOf(
  outboxEntryId: string,
  subscriptionId: string,
  occurrence: WebhookEventOccurrence,
): string {
  return uuidv5(
    `${outboxEntryId}/${subscriptionId}/${occurrence.event}/${occurrence.id}`,
    DELIVERY_ID_NAMESPACE,
  );
}

/**
 * Turns committed outbox entries into webhook deliveries: for each event the entry means
 * (webhookEventsOf) and each enabled subscription that wants it, a delivery row carrying the
 * record as the API shows it now, then a 'webhook-delivery' job whose id is the delivery's.
 * Runs beside the panels' events of the same entry, so both come from the same commits.
 */
export class WebhookProducer {
  constructor(
    private readonly em: EntityManager,
    private readonly queues: Pick<JobQueues, 'enqueueMany'>,
    /** Absolute links: a receiver is not on Omni's origin. */
    private readonly linkFile: FileLinker,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async produce<K extends OutboxKind>(
    kind: K,
    payload: OutboxPayloads[K],
    entry: OutboxEntryRef,
  ): Promise<void> {
    const occurrences = webhookEventsOf(kind, payload);
    if (occurrences.length === 0) return;
    const em = this.em.fork();
    scopeToTenant(em, entry.tenantId);
    const repository = new OutboundWebhooksRepository(sqlIn(em));
    const subscriptions = await repository.subscriptionsWanting(entry.tenantId, [
      ...new Set(occurrences.map((occurrence) => occurrence.event)),
    ]);
    if (subscriptions.length === 0) return;
    const records = await this.loadRecords(em, entry.tenantId, occurrences);
    const now = this.clock();
    const deliveries: NewDelivery[] = [];
    for (const occurrence of occurrences) {
      const data = records.get(occurrence.id);
      if (data === undefined) continue; // deleted since (its page was removed)
      for (const subscription of subscriptions) {
        if (!subscription.events.includes(occurrence.event)) continue;
        const id = deliveryIdOf(entry.id, subscription.id, occurrence);
        const body = JSON.stringify({
          id,
          event: occurrence.event,
          createdAt: now.toISOString(),
          tenantId: entry.tenantId,
          data,
        });
        deliveries.push({
          id,
          subscriptionId: subscription.id,
          event: occurrence.event,
          body,
          conversationId:
            occurrence.object === 'conversation'
              ? occurrence.id
              : (data as { conversationId: string }).conversationId,
          createdAt: now,
          giveUpAt: new Date(now.getTime() + WEBHOOK_RETRY_WINDOW_MS),
        });
      }
    }
    await repository.insertDeliveries(entry.tenantId, deliveries);
    await this.queues.enqueueMany(
      'webhook-delivery',
      deliveries.map((delivery) => ({
        payload: { tenantId: entry.tenantId, deliveryId: delivery.id },
        jobId: delivery.id,
      })),
    );
  }

  /** The records concerned, by id, as the API returns them (conversations and messages). */
  private async loadRecords(
    em: EntityManager,
    tenantId: string,
    occurrences: WebhookEventOccurrence[],
  ): Promise<Map<string, unknown>> {
    const idsOf = (object: WebhookEventOccurrence['object']) => [
      ...new Set(occurrences.filter((o) => o.object === object).map((o) => o.id)),
    ];
    const records = new Map<string, unknown>();
    const conversationIds = idsOf('conversation');
    if (conversationIds.length > 0) {
      const conversations = await em.find(
        Conversation,
        { id: { $in: conversationIds } },
        { populate: ['contact', 'page'] },
      );
      const presented = await presentConversations(
        em,
        tenantId,
        conversations,
        this.clock(),
        this.linkFile,
      );
      for (const [id, record] of presented) records.set(id, record);
    }
    for (const message of (await findMessages(em, idsOf('message'))).values()) {
      records.set(message.id, toMessageDto(message, this.linkFile));
    }
    return records;
  }
}
