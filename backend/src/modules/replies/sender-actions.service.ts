import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { assertUser, type Actor } from '../auth/actor.js';
import { Conversation } from '../conversations/conversation.entity.js';
import type { ConversationsService } from '../conversations/conversations.service.js';

/** "Typing…" lasts about 20 s in Messenger; telling it again every few seconds is plenty. */
export const TYPING_THROTTLE_MS = 5_000;

/** Asks for a sender action to be sent (the 'sender-action' job). */
export type RequestSenderAction = (
  conversationId: string,
  action: 'mark_seen' | 'typing_on',
) => Promise<void>;

/**
 * What the visitor sees of the operator besides messages: "seen" when the operator opens the
 * chat, "typing…" while they type. Best effort from start to end: the panel's calls never
 * fail because of Facebook, and the job drops what Facebook refuses.
 */
export class SenderActionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly redis: Redis,
    private readonly redisPrefix: string,
    private readonly conversations: Pick<ConversationsService, 'findVisible'>,
    private readonly requestSenderAction: RequestSenderAction,
  ) {}

  /** The operator opened the chat: their unread count is cleared and the visitor sees "seen". */
  async markSeen(actor: Actor, conversationId: string): Promise<void> {
    assertUser(actor);
    await this.conversations.findVisible(actor, conversationId); // 404 unless visible
    const conversation = await this.em.findOneOrFail(Conversation, conversationId);
    if (conversation.operator?.id === actor.userId && conversation.unreadCount > 0) {
      conversation.unreadCount = 0;
      await this.em.flush();
    }
    await this.requestSenderAction(conversationId, 'mark_seen');
  }

  /** The operator is typing; throttled per conversation across every api instance. */
  async typing(actor: Actor, conversationId: string): Promise<void> {
    assertUser(actor);
    await this.conversations.findVisible(actor, conversationId);
    const key = `${this.redisPrefix}:typing:${conversationId}`;
    const first = await this.redis.set(key, '1', 'PX', TYPING_THROTTLE_MS, 'NX');
    if (first) await this.requestSenderAction(conversationId, 'typing_on');
  }
}
