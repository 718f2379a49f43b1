import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import type { Conversation } from './conversation.entity.js';
import {
  ConversationExtrasRepository,
  type ConversationExtras,
} from './conversation-extras.repository.js';
import {
  toConversationDto,
  type ConversationDto,
  type FileLinker,
} from './conversations.schemas.js';
import { Message } from './message.entity.js';

/**
 * The records of conversations as the API and the panels' events show them: each row with
 * its last message, its labels and since when its visitor waits — two statements for the
 * whole set (a page of the list, one conversation). Needs `contact` and `page` loaded.
 */
export async function presentConversations(
  em: EntityManager,
  tenantId: string,
  conversations: Conversation[],
  now: Date,
  linkFile: FileLinker,
): Promise<Map<string, ConversationDto>> {
  const extras = await new ConversationExtrasRepository(sqlIn(em)).find(tenantId, {
    conversationIds: conversations.map((conversation) => conversation.id),
  });
  const lastMessages = await findMessages(em, lastMessageIdsOf(extras));
  return buildConversationRecords(conversations, extras, lastMessages, now, linkFile);
}

/** The records, from extras already read (a broadcast reads them with its messages). */
export function buildConversationRecords(
  conversations: Conversation[],
  extras: Map<string, ConversationExtras>,
  messages: Map<string, Message>,
  now: Date,
  linkFile: FileLinker,
): Map<string, ConversationDto> {
  return new Map(
    conversations.map((conversation) => {
      const extra = extras.get(conversation.id);
      const lastMessageId = extra?.lastMessageId;
      const related = {
        lastMessage: (lastMessageId && messages.get(lastMessageId)) || null,
        labels: extra?.labels ?? [],
        waitingSince: extra?.waitingSince ?? null,
      };
      return [conversation.id, toConversationDto(conversation, related, now, linkFile)];
    }),
  );
}

export function lastMessageIdsOf(extras: Map<string, ConversationExtras>): string[] {
  return [...extras.values()].flatMap((extra) =>
    extra.lastMessageId ? [extra.lastMessageId] : [],
  );
}

/** Messages by id, in time order (through the tenant filter of `em`). */
export async function findMessages(
  em: EntityManager,
  ids: string[],
): Promise<Map<string, Message>> {
  if (ids.length === 0) return new Map();
  const messages = await em.find(
    Message,
    { id: { $in: [...new Set(ids)] } },
    { orderBy: { occurredAt: 'asc', id: 'asc' } },
  );
  return new Map(messages.map((message) => [message.id, message]));
}
