import type { EntityManager } from '@mikro-orm/postgresql';
import { findByIdOrFail } from '../../db/find.js';
import { sqlIn } from '../../db/sql.js';
import { NotFoundError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import { Contact } from '../conversations/contact.entity.js';
import { ConversationEvent } from '../conversations/conversation-event.entity.js';
import { loadViewer, visibleToFilter } from '../conversations/conversation-visibility.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { buildEpisodes } from './contact-episodes.js';
import { ContactsRepository } from './contacts.repository.js';
import { toContactDto, type ContactDto } from './contacts.schemas.js';

/** The visitors, as those who may see their conversations see them. */
export class ContactsService {
  constructor(private readonly em: EntityManager) {}

  /**
   * The visitor and the episodes of their conversations the caller may see; a visitor none of
   * whose conversations the caller sees is not found.
   */
  async get(actor: Actor, id: string): Promise<ContactDto> {
    const contact = await findByIdOrFail(this.em, Contact, id, 'The visitor', {
      populate: ['page'],
    });
    const conversations = await this.em.find(
      Conversation,
      { $and: [{ contact }, visibleToFilter(await loadViewer(this.em, actor))] },
      { orderBy: { createdAt: 'asc' } },
    );
    if (conversations.length === 0) throw new NotFoundError('The visitor');
    const events = await this.em.find(
      ConversationEvent,
      { conversation: { $in: conversations.map((conversation) => conversation.id) } },
      { orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] },
    );
    const episodes = buildEpisodes(
      conversations.map((conversation) => ({
        id: conversation.id,
        createdAt: conversation.createdAt,
        status: conversation.status,
        operatorId: conversation.operator?.id ?? null,
        closedAt: conversation.closedAt,
      })),
      events.map((event) => ({
        conversationId: event.conversation.id,
        type: event.type,
        operatorId: event.operator?.id ?? null,
        occurredAt: event.occurredAt,
      })),
    );
    const firstMessageIds = await new ContactsRepository(sqlIn(this.em)).firstMessageIds(
      actor.tenantId,
      episodes,
    );
    return toContactDto(
      contact,
      episodes.map((episode, index) => ({
        ...episode,
        firstMessageId: firstMessageIds[index] ?? null,
      })),
    );
  }
}
