import type { OutboxKind, OutboxPayloads } from '../../outbox/outbox-map.js';

/** Every event a subscription may ask for (api.md, "Outbound webhooks"). */
export const WEBHOOK_EVENTS = [
  'conversation.created',
  'conversation.assigned',
  'conversation.closed',
  'message.created',
  'message.updated',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** One event about one record: a conversation or a message, by id. */
export type WebhookEventOccurrence = {
  event: WebhookEvent;
  object: 'conversation' | 'message';
  id: string;
};

const conversations = (event: WebhookEvent, ids: readonly string[] | undefined) =>
  (ids ?? []).map((id): WebhookEventOccurrence => ({ event, object: 'conversation', id }));
const messages = (event: WebhookEvent, ids: readonly string[] | undefined) =>
  (ids ?? []).map((id): WebhookEventOccurrence => ({ event, object: 'message', id }));

/**
 * The webhook events an outbox entry means: the same committed changes that drive the
 * panels' events, read from the entry itself, so a change that rolled back has none and one
 * that committed is never missed. A conversation's events come before its messages'.
 * (`?? []`: entries written before these fields existed have none of them.)
 */
export function webhookEventsOf<K extends OutboxKind>(
  kind: K,
  payload: OutboxPayloads[K],
): WebhookEventOccurrence[] {
  switch (kind) {
    case 'inbound-follow-ups': {
      const inbound = payload as OutboxPayloads['inbound-follow-ups'];
      return [
        ...conversations('conversation.created', inbound.createdConversationIds),
        ...messages('message.created', inbound.newMessageIds),
        ...messages('message.updated', inbound.updatedMessageIds),
      ];
    }
    case 'routing-changed': {
      const move = payload as OutboxPayloads['routing-changed'];
      return [
        ...conversations('conversation.assigned', move.assignedConversationIds),
        ...conversations('conversation.closed', move.closedConversationIds),
      ];
    }
    case 'reply-stored': {
      const reply = payload as OutboxPayloads['reply-stored'];
      return messages(reply.isNew ? 'message.created' : 'message.updated', [reply.messageId]);
    }
    case 'note-stored': {
      const note = payload as OutboxPayloads['note-stored'];
      return messages('message.created', [note.messageId]);
    }
    case 'conversations-changed': {
      const change = payload as OutboxPayloads['conversations-changed'];
      return [
        ...messages('message.created', change.createdMessageIds),
        ...messages('message.updated', change.updatedMessageIds),
      ];
    }
    default:
      return [];
  }
}
