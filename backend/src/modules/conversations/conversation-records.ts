import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import { LabelsRepository } from '../labels/labels.repository.js';
import type { Conversation } from './conversation.entity.js';
import {
  toConversationDto,
  type ConversationDto,
  type FileLinker,
} from './conversations.schemas.js';
import { findLastMessages } from './message.repository.js';
import { findWaitingSince } from './waiting-since.repository.js';

/**
 * The records of conversations as the API and the panels' events show them: each row with
 * its last message, its labels and since when its visitor waits, read for the whole set in
 * one statement each (a page of the list, one conversation, a broadcast). Needs `contact`
 * and `page` loaded.
 */
export async function presentConversations(
  em: EntityManager,
  tenantId: string,
  conversations: Conversation[],
  now: Date,
  linkFile: FileLinker,
): Promise<Map<string, ConversationDto>> {
  const ids = conversations.map((conversation) => conversation.id);
  const lastMessages = await findLastMessages(em, ids);
  const labels = await new LabelsRepository(sqlIn(em)).labelsOf(tenantId, ids);
  const waitingSince = await findWaitingSince(em, ids);
  return new Map(
    conversations.map((conversation) => [
      conversation.id,
      toConversationDto(
        conversation,
        {
          lastMessage: lastMessages.get(conversation.id) ?? null,
          labels: labels.get(conversation.id) ?? [],
          waitingSince: waitingSince.get(conversation.id) ?? null,
        },
        now,
        linkFile,
      ),
    ]),
  );
}
