import type { ConversationDto, MessageDto } from '../conversations/conversations.schemas.js';
import type { MentionDto } from '../notes/notes.schemas.js';
import type { PageHealthDto } from '../page-health/page-health.schemas.js';
import type { UserDto } from '../operators/operators.schemas.js';
import type { QueueFigures } from '../routing/routing.schemas.js';

/** Every event the server pushes to the panel, with its payload: the full changed record. */
export interface ServerToClientEvents {
  'operator.updated': (user: UserDto) => void;
  'conversation.updated': (conversation: ConversationDto) => void;
  'message.created': (message: MessageDto) => void;
  'message.updated': (message: MessageDto) => void;
  'queue.updated': (figures: QueueFigures) => void;
  /** A Facebook page was deleted, and with it its conversations: panels drop them. */
  'page.deleted': (page: DeletedPage) => void;
  /** A page's health changed (its token died, a permission went missing, it recovered). */
  'page.updated': (page: PageHealthDto) => void;
  /** A colleague mentioned this user in a note: sent to that user's sockets only. */
  'mention.created': (mention: MentionDto) => void;
  'realtime.ready': (ready: RealtimeReady) => void;
}

export type RealtimeEventName = keyof ServerToClientEvents;
export type RealtimePayload<E extends RealtimeEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Rooms a socket joins; services address them through the publisher, never socket.io itself. */
export const rooms = {
  /** Everyone of a tenant. */
  tenant: (tenantId: string) => `tenant:${tenantId}`,
  /** A tenant's admins, who see every conversation. */
  admins: (tenantId: string) => `admins:${tenantId}`,
  /** Every socket of one user, whichever session it came with. */
  operator: (userId: string) => `operator:${userId}`,
  /** The sockets opened with one sign-in's token (logout ends exactly these). */
  session: (sessionId: string) => `session:${sessionId}`,
  department: (departmentId: string) => `department:${departmentId}`,
  /** Panels that have the conversation open (whoever may see it, e.g. an admin). */
  conversation: (conversationId: string) => `conversation:${conversationId}`,
};

/** How services push realtime events; socket.io stays behind this interface. */
export interface RealtimePublisher {
  /** Several rooms reach each socket once. Every event belongs to one tenant's sequence. */
  publish<E extends RealtimeEventName>(
    tenantId: string,
    to: string | string[],
    event: E,
    payload: RealtimePayload<E>,
  ): void;
}

/**
 * How services take rights back from live sockets, on every api instance (through the Redis
 * adapter or emitter). Each applies after the events published before it have gone out, so a
 * panel sees the change (e.g. its new role) before it loses the connection.
 */
export interface SocketControl {
  /**
   * Disconnects the sockets in `room` (but not those also in `except`). A panel reconnects
   * on its own: if its session still holds, it joins the rooms its user may have now; if not,
   * the handshake is refused (UNAUTHENTICATED) and it signs in again.
   */
  disconnect(room: string, except?: string): void;
  /** The sockets in `room` that are in none of `unless` leave it. */
  leave(room: string, unless: string[]): void;
}

/** The replay history of a tenant's events, which an erasure must scrub too. */
export interface RealtimeHistory {
  /** Drops the logged events that mention any of `ids` (an erased visitor's conversations). */
  forget(tenantId: string, ids: string[]): Promise<void>;
}

/**
 * Sent with every event as a second argument: its number in the tenant's sequence and the
 * sequence's epoch (absent on snapshots such as `queue.updated`, which a reconnecting panel
 * reloads instead). A new epoch means the numbering restarted: the panel reloads.
 */
export type EventMeta = { seq?: number; epoch?: string };

/** Client → server: "I saw up to `after`; what did I miss?" (answered through the ack). */
export interface ClientToServerEvents {
  /** `epoch`: the one `after` was counted in; another than the server's answers incomplete. */
  resync: (request: { after: number; epoch?: string }, answer: (resync: Resync) => void) => void;
  /** Opened a conversation: its events reach this socket too. `ok: false` when not visible. */
  'conversation.watch': (
    request: { conversationId: string },
    answer: (result: { ok: boolean }) => void,
  ) => void;
  'conversation.unwatch': (request: { conversationId: string }) => void;
}

/** The page's record id, and Facebook's id of it as its conversations' `channel.pageId` show it. */
export type DeletedPage = { id: string; pageId: string };

/** Server → one socket right after it connects: where the tenant's sequence stands. */
export type RealtimeReady = { seq: number; epoch: string };

/** One missed event, as a resync replays it. */
export type ResyncedEvent = { seq: number; event: RealtimeEventName; payload: unknown };

/**
 * `complete: false`: some missed events are no longer kept, or the numbering restarted since
 * (`epoch` is not the panel's): reload instead of replaying.
 */
export type Resync = { events: ResyncedEvent[]; complete: boolean; epoch: string };
