import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeToTenant } from '../../db/tenant-filter.js';
import type { NoteStoredPayload, OutboxEntryRef } from '../../outbox/outbox-map.js';
import type { ConversationBroadcaster } from '../conversations/conversation-broadcaster.js';
import type { FileLinker } from '../conversations/conversations.schemas.js';
import { Message } from '../conversations/message.entity.js';
import { rooms, type RealtimePublisher } from '../realtime/realtime.events.js';
import { toMentionDto } from './notes.schemas.js';

/**
 * What follows a stored note ('note-stored' entries, written with it): the note and its
 * conversation to everyone who sees the conversation (message.created, conversation.updated),
 * and `mention.created` to each mentioned user's sockets only. Never a send job: a note
 * stays in Omni. At least once: both events carry whole records.
 */
export class NoteFollowUps {
  constructor(
    private readonly em: EntityManager,
    private readonly broadcaster: Pick<ConversationBroadcaster, 'broadcast'>,
    private readonly realtime: RealtimePublisher,
    private readonly linkFile: FileLinker,
  ) {}

  async perform(note: NoteStoredPayload, entry: OutboxEntryRef): Promise<void> {
    await this.broadcaster.broadcast(entry.tenantId, {
      conversationIds: [note.conversationId],
      createdMessageIds: [note.messageId],
    });
    if (note.mentionedUserIds.length === 0) return;
    const em = this.em.fork();
    scopeToTenant(em, entry.tenantId);
    const message = await em.findOne(Message, note.messageId, {
      populate: ['conversation.contact', 'operator'],
    });
    if (!message) return; // deleted since, with its page
    this.realtime.publish(
      entry.tenantId,
      note.mentionedUserIds.map((userId) => rooms.operator(userId)),
      'mention.created',
      toMentionDto(message, this.linkFile),
    );
  }
}
