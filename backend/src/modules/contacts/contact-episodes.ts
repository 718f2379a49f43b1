import type { ConversationEventType } from '../conversations/conversation-event.entity.js';
import type { ConversationStatus } from '../conversations/conversation.entity.js';

/** One open→close stretch of a conversation; the one still open has `closedAt` null. */
export type Episode = {
  conversationId: string;
  openedAt: Date;
  closedAt: Date | null;
  /** Who served it: the last operator it was given to, else who held it when it closed. */
  operatorId: string | null;
  /** The previous episode's close: this one's messages come after it (null: the first one). */
  after: Date | null;
};

export type LoggedConversation = {
  id: string;
  createdAt: Date;
  status: ConversationStatus;
  operatorId: string | null;
  closedAt: Date | null;
};

export type LoggedEvent = {
  conversationId: string;
  type: ConversationEventType;
  operatorId: string | null;
  occurredAt: Date;
};

/** The moves that give a conversation to an operator. */
const GIVEN_TO_OPERATOR: ReadonlySet<ConversationEventType> = new Set([
  'assigned',
  'taken',
  'transferred',
]);

/**
 * A visitor's episodes, oldest first, from their conversations' event logs (each in time
 * order). A conversation is one thread per visitor and page that closes and reopens: an
 * episode begins with its first event or the first one after a close (whatever reopened
 * it), and ends with a close. A conversation without a log (older than the log) is one
 * episode, as its record tells it.
 */
export function buildEpisodes(
  conversations: LoggedConversation[],
  events: LoggedEvent[],
): Episode[] {
  const episodes: Episode[] = [];
  const ordered = [...conversations].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const conversation of ordered) {
    const log = events.filter((event) => event.conversationId === conversation.id);
    if (log.length === 0) {
      episodes.push({
        conversationId: conversation.id,
        openedAt: conversation.createdAt,
        closedAt: conversation.status === 'closed' ? conversation.closedAt : null,
        operatorId: conversation.operatorId,
        after: null,
      });
      continue;
    }
    let current: Episode | null = null;
    let previousClose: Date | null = null;
    for (const event of log) {
      current ??= {
        conversationId: conversation.id,
        openedAt: event.occurredAt,
        closedAt: null,
        operatorId: null,
        after: previousClose,
      };
      if (GIVEN_TO_OPERATOR.has(event.type) && event.operatorId) {
        current.operatorId = event.operatorId;
      }
      if (event.type === 'closed') {
        current.closedAt = event.occurredAt;
        current.operatorId ??= event.operatorId;
        episodes.push(current);
        previousClose = event.occurredAt;
        current = null;
      }
    }
    if (current) episodes.push(current);
  }
  return episodes;
}
