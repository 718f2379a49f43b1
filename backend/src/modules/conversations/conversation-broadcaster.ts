import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeToTenant } from '../../db/tenant-filter.js';
import { rooms, type RealtimePublisher, type SocketControl } from '../realtime/realtime.events.js';
import { Conversation } from './conversation.entity.js';
import { presentConversations } from './conversation-records.js';
import { toMessageDto, type FileLinker } from './conversations.schemas.js';
import { Message } from './message.entity.js';

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
    const messages =
      messageIds.length === 0
        ? []
        : await em.find(Message, { id: { $in: messageIds } }, { orderBy: { occurredAt: 'asc' } });
    const conversations = await em.find(
      Conversation,
      {
        id: {
          $in: [
            ...new Set([
              ...change.conversationIds,
              ...messages.map((message) => message.conversation.id),
            ]),
          ],
        },
      },
      // One simple query per table: its plan stays good even before PostgreSQL has
      // statistics (a join of the filtered relations is planned as nested sequential scans).
      { populate: ['contact', 'page'], strategy: 'select-in' },
    );
    const audienceOf = new Map(
      conversations.map((conversation) => [conversation.id, audience(conversation)]),
    );
    const records = await presentConversations(
      em,
      tenantId,
      conversations,
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
