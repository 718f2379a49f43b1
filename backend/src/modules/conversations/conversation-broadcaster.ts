import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import { scopeToTenant } from '../../db/tenant-filter.js';
import { rooms, type RealtimePublisher, type SocketControl } from '../realtime/realtime.events.js';
import { Conversation } from './conversation.entity.js';
import {
  buildConversationRecords,
  findMessages,
  lastMessageIdsOf,
} from './conversation-records.js';
import { ConversationExtrasRepository } from './conversation-extras.repository.js';
import { toMessageDto, type FileLinker } from './conversations.schemas.js';

/** Conversations whose state changed, and messages created or changed in them. */
export type ConversationsChange = {
  conversationIds: Iterable<string>;
  createdMessageIds?: Iterable<string>;
  updatedMessageIds?: Iterable<string>;
};

/**
 * Pushes changed conversations and messages to the panels that may see them: the
 * conversation's department (or the whole tenant when it has none), the tenant's admins,
 * and the operator holding it. Called from the outbox, after the change is committed.
 *
 * Panels that opened a conversation also get its events through its room; once it moved
 * (transferred, requeued to another department), the sockets there whose user may no longer
 * see it leave that room. Who may see it is exactly the audience's other rooms, which the
 * sockets' rooms mirror (they are re-scoped when a role or department changes).
 */
export class ConversationBroadcaster {
  constructor(
    private readonly em: EntityManager,
    private readonly realtime: RealtimePublisher & Pick<SocketControl, 'leave'>,
    private readonly linkFile: FileLinker,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Sends the tenant's panels these conversations and messages as they are now (whole
   * records, so sending one twice or late is harmless). Reads only `tenantId`'s rows.
   */
  async broadcast(tenantId: string, change: ConversationsChange): Promise<void> {
    const em = this.em.fork();
    scopeToTenant(em, tenantId);
    const created = [...(change.createdMessageIds ?? [])];
    const updated = [...(change.updatedMessageIds ?? [])];
    const messageIds = [...created, ...updated];
    // Three statements whatever the change: the extras of every conversation concerned,
    // then the messages sent and shown, then the conversations with their contacts and pages.
    const extras = await new ConversationExtrasRepository(sqlIn(em)).find(tenantId, {
      conversationIds: [...change.conversationIds],
      messageIds,
    });
    const messagesById = await findMessages(em, [...messageIds, ...lastMessageIdsOf(extras)]);
    const messages = [...messagesById.values()].filter((message) =>
      messageIds.includes(message.id),
    );
    const conversations = await em.find(
      Conversation,
      { id: { $in: [...extras.keys()] } },
      // Joined: each conversation's contact and page by primary key, one round trip.
      { populate: ['contact', 'page'], strategy: 'joined' },
    );
    const audienceOf = new Map(
      conversations.map((conversation) => [conversation.id, audience(conversation)]),
    );
    const records = buildConversationRecords(
      conversations,
      extras,
      messagesById,
      this.clock(),
      this.linkFile,
    );
    for (const message of messages) {
      const to = audienceOf.get(message.conversation.id);
      if (!to) continue;
      this.realtime.publish(
        tenantId,
        to,
        created.includes(message.id) ? 'message.created' : 'message.updated',
        toMessageDto(message, this.linkFile),
      );
    }
    for (const conversation of conversations) {
      this.realtime.publish(
        tenantId,
        audienceOf.get(conversation.id)!,
        'conversation.updated',
        records.get(conversation.id)!,
      );
      const watchers = rooms.conversation(conversation.id);
      this.realtime.leave(
        watchers,
        audienceOf.get(conversation.id)!.filter((room) => room !== watchers),
      );
    }
  }
}

function audience(conversation: Conversation): string[] {
  const tenantId = conversation.tenant.id;
  return [
    conversation.department ? rooms.department(conversation.department.id) : rooms.tenant(tenantId),
    rooms.admins(tenantId),
    rooms.conversation(conversation.id),
    ...(conversation.operator ? [rooms.operator(conversation.operator.id)] : []),
  ];
}
