// The socket.io contract (backend/src/modules/realtime/realtime.events.ts). It is not part of the
// OpenAPI document; its payloads are the API's generated record types.
import type { Conversation, Mention, Message, PageHealth, QueueFigures, User } from '@/api/types';

/**
 * Sent with each event: its number in the business's sequence and the sequence's epoch
 * (absent on snapshots). Another epoch than the panel's: the numbering restarted (Redis came
 * back empty), so the panel reloads.
 */
export interface EventMeta {
  seq?: number;
  epoch?: string;
}

/**
 * Events the server pushes over socket.io, each carrying the full changed record, and its
 * sequence number as a second argument.
 */
export interface ServerToClientEvents {
  'operator.updated': (user: User, meta?: EventMeta) => void;
  'conversation.updated': (conversation: Conversation, meta?: EventMeta) => void;
  'message.created': (message: Message, meta?: EventMeta) => void;
  'message.updated': (message: Message, meta?: EventMeta) => void;
  'queue.updated': (figures: QueueFigures) => void;
  /** A Facebook page was deleted with its conversations (`pageId`: their `channel.pageId`). */
  'page.deleted': (page: { id: string; pageId: string }, meta?: EventMeta) => void;
  /** A page's health changed: its token died, a permission went missing, or it recovered. */
  'page.updated': (page: PageHealth, meta?: EventMeta) => void;
  /** A colleague mentioned the signed-in user in a note (sent to that user only). */
  'mention.created': (mention: Mention, meta?: EventMeta) => void;
}

/** The answer to `resync`: what a reconnecting panel missed, or `complete: false` (reload). */
export interface Resync {
  complete: boolean;
  epoch: string;
  events: { seq: number; event: keyof ServerToClientEvents; payload: unknown }[];
}

/** Connection-level messages, apart from the records above. */
export interface RealtimeControlEvents {
  'realtime.ready': (ready: { seq: number; epoch: string }) => void;
}

export interface ClientToServerEvents {
  resync: (request: { after: number; epoch: string }, answer: (resync: Resync) => void) => void;
  /** Opened a conversation: its events reach this socket too (`ok: false` when not visible). */
  'conversation.watch': (
    request: { conversationId: string },
    answer: (result: { ok: boolean }) => void,
  ) => void;
  'conversation.unwatch': (request: { conversationId: string }) => void;
}
