import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { flushWith } from '../../db/sql.js';
import { appendToOutbox, type DispatchCommitted } from '../../outbox/outbox.js';
import type { Conversation } from '../conversations/conversation.entity.js';
import { Message } from '../conversations/message.entity.js';

/**
 * Stores one of Omni's automatic messages to a visitor (a queue notice, a survey) as pending,
 * with the 'reply-stored' outbox entry that has it sent (RESPONSE only) and shown, together
 * with whatever else `em` holds unflushed; then dispatches the entry. Returns the message, or
 * null when its dedup key is taken (stored already: nothing is changed).
 */
export async function storeAutomaticMessage(
  em: EntityManager,
  dispatchCommitted: DispatchCommitted,
  conversation: Conversation,
  content: { text: string; dedupKey: string; details?: Record<string, unknown> },
  now: Date,
): Promise<Message | null> {
  const { tenant, page } = conversation;
  const message = new Message(tenant, conversation, page, 'out', 'automatic', 'text', now, '');
  message.dedupKey = content.dedupKey;
  message.text = content.text;
  message.status = 'pending';
  if (content.details) message.details = content.details;
  em.persist(message);
  let outboxEntryIds: string[];
  try {
    outboxEntryIds = await flushWith(em, (sql) =>
      appendToOutbox(sql, [
        {
          tenantId: tenant.id,
          kind: 'reply-stored',
          payload: {
            conversationId: conversation.id,
            messageId: message.id,
            isNew: true,
            sendJobId: message.id,
          },
        },
      ]),
    );
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return null;
    throw error;
  }
  await dispatchCommitted(outboxEntryIds);
  return message;
}
