// The panel's only socket.io connection. Server events carry full records, so each one maps to
// a store action that applies it; nothing here refetches or owns state (Chatwoot's pattern).
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { TWO_FACTOR_SETUP_REQUIRED } from '@/api/http';
import { useConversationsStore } from '@/stores/conversations';
import { useFacebookPagesStore } from '@/stores/facebook-pages';
import { useMentionsStore } from '@/stores/mentions';
import { useMessagesStore } from '@/stores/messages';
import { useOperatorsStore } from '@/stores/operators';
import { usePageHealthStore } from '@/stores/page-health';
import { useQueueStore } from '@/stores/queue';
import { useRealtimeConnectionStore } from '@/stores/realtime-connection';
import { useSessionStore } from '@/stores/session';
import type {
  ClientToServerEvents,
  EventMeta,
  RealtimeControlEvents,
  Resync,
  ServerToClientEvents,
} from './events';

type EventTable = {
  [Event in keyof ServerToClientEvents]: ServerToClientEvents[Event];
};

/** The one table from server event name to store actions. Add new events here. */
export const realtimeEventTable: EventTable = {
  'operator.updated': (user) => {
    useOperatorsStore().upsert(user);
    useSessionStore().applyUserUpdate(user);
  },
  'conversation.updated': (conversation) => {
    useConversationsStore().upsert(conversation);
    // An erased visitor's messages are gone: open chats must not keep showing them.
    if (conversation.contact.erased) useMessagesStore().forget(conversation.id);
  },
  'message.created': (message) => useMessagesStore().upsert(message),
  'message.updated': (message) => useMessagesStore().upsert(message),
  'queue.updated': (figures) => useQueueStore().apply(figures),
  'page.deleted': ({ id, pageId }) => {
    useConversationsStore().forgetPage(pageId);
    useFacebookPagesStore().forget(id);
    usePageHealthStore().forget(id);
  },
  'page.updated': (health) => {
    usePageHealthStore().apply(health);
    useFacebookPagesStore().applyHealth(health);
  },
  'mention.created': (mention) => useMentionsStore().receive(mention),
};

/**
 * What the panel reloads when it missed more than the server still keeps (a long outage).
 * Each store that holds server data refetches what it has loaded.
 */
export const realtimeReloaders: (() => Promise<void> | void)[] = [
  () => {
    const operators = useOperatorsStore();
    if (operators.hasLoaded) return operators.fetchAll();
  },
  () => useConversationsStore().reload(),
  () => useMessagesStore().reload(),
  () => {
    const health = usePageHealthStore();
    if (health.hasLoaded) return health.fetch();
  },
  () => {
    const queue = useQueueStore();
    if (queue.figures) return queue.fetch();
  },
];

type PanelSocket = Socket<ServerToClientEvents & RealtimeControlEvents, ClientToServerEvents>;

let socket: PanelSocket | null = null;
/** The highest event number applied; null until the first connection reports where we are. */
let lastSeq: number | null = null;
/** The epoch `lastSeq` counts in: another one means the server's numbering restarted. */
let epoch: string | null = null;
/** Handshakes refused as UNAVAILABLE in a row (the next retry waits longer). */
let refusedInARow = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
/** The conversation open in the panel; its room is joined again after every reconnection. */
let watchedConversationId: string | null = null;
/**
 * The server cut the connection: the user's rights changed (role, departments) or the
 * session ended. What the panel holds was read with the old rights, so it reloads.
 */
let wasCutByServer = false;

function apply(event: keyof ServerToClientEvents, payload: unknown, meta?: EventMeta): void {
  try {
    (realtimeEventTable[event] as (payload: unknown) => void)(payload);
  } catch (error) {
    // A malformed event must not break the connection for the ones that follow.
    console.error(`[realtime] handling ${event} failed`, error);
  }
  if (meta?.seq === undefined) return;
  if (meta.epoch !== undefined && epoch !== null && meta.epoch !== epoch) {
    // The numbering restarted while connected: what came before it may be lost.
    return reloadAll(meta.seq, meta.epoch);
  }
  lastSeq = Math.max(lastSeq ?? 0, meta.seq);
}

/** Reads everything the panel holds again; from now on, events after `serverSeq` apply. */
function reloadAll(serverSeq: number, serverEpoch: string): void {
  lastSeq = serverSeq;
  epoch = serverEpoch;
  for (const reload of realtimeReloaders) void reload();
}

/**
 * After a reconnection: replay exactly what was missed, or reload when too much was, or
 * when the server's numbering restarted (another epoch: Redis came back empty).
 */
function resync(connection: PanelSocket, serverSeq: number, serverEpoch: string): void {
  if (wasCutByServer) {
    wasCutByServer = false;
    void useSessionStore()
      .refresh()
      .catch(() => {}); // a 401 here ends the session through the HTTP client
    reloadAll(serverSeq, serverEpoch);
    return;
  }
  if (lastSeq === null || epoch === null) {
    lastSeq = serverSeq;
    epoch = serverEpoch;
    return;
  }
  if (serverEpoch !== epoch) return reloadAll(serverSeq, serverEpoch);
  if (lastSeq >= serverSeq) return;
  connection.emit('resync', { after: lastSeq, epoch }, (missed: Resync) => {
    if (!missed.complete || missed.epoch !== epoch) return reloadAll(serverSeq, serverEpoch);
    for (const entry of missed.events) {
      apply(entry.event, entry.payload, { seq: entry.seq, epoch: missed.epoch });
    }
  });
}

/** The first retry after a refused handshake, and the longest wait between two. */
export const RETRY_DELAY_MS = { first: 1_000, max: 30_000 };

/**
 * The wait before retry number `attempt` (0-based): doubling from 1 s up to 30 s, each
 * between half and all of it at random, so panels that lost the server together do not all
 * come back in the same instant.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_DELAY_MS.first * 2 ** Math.min(attempt, 20), RETRY_DELAY_MS.max);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Opens the connection for a signed-in user. socket.io retries by itself while the server is
 * unreachable; a handshake the server refused as UNAVAILABLE (PostgreSQL or Redis away) it
 * does not retry, so this does, with back-off. Meanwhile the connection is marked lost (the
 * shell shows a banner). Only a handshake refused as UNAUTHENTICATED (the session ended:
 * logged out elsewhere, password changed, expired, user deleted) calls `onSessionEnded`; one
 * refused as TWO_FACTOR_SETUP_REQUIRED (an admin whose business now requires two-factor)
 * calls `onTwoFactorSetupRequired`, whose setup screen opens no connection.
 * Nothing is thrown at the panel.
 */
export function connectRealtime(
  token: string,
  onSessionEnded: () => void = () => {},
  onTwoFactorSetupRequired: () => void = () => {},
): void {
  disconnectRealtime();
  const connection: PanelSocket = io({
    auth: { token },
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 15_000,
  });
  for (const event of Object.keys(realtimeEventTable) as (keyof ServerToClientEvents)[]) {
    connection.on(event, (payload: unknown, meta?: EventMeta) => apply(event, payload, meta));
  }
  const connectionState = useRealtimeConnectionStore();
  connection.on('realtime.ready', ({ seq, epoch: serverEpoch }) => {
    resync(connection, seq, serverEpoch);
    if (watchedConversationId) emitWatch(connection, watchedConversationId);
  });
  connection.on('connect', () => {
    refusedInARow = 0;
    connectionState.markConnected();
  });
  connection.on('connect_error', (error) => {
    if (error.message === 'UNAUTHENTICATED') return onSessionEnded();
    if (error.message === TWO_FACTOR_SETUP_REQUIRED) return onTwoFactorSetupRequired();
    // Expected while the API restarts or is absent (e.g. the dev server alone): socket.io
    // retries by itself, except after a handshake the server refused (UNAVAILABLE).
    if (connection.active) return connectionState.markLost();
    const delay = retryDelayMs(refusedInARow++);
    connectionState.markLost(Date.now() + delay);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => socket === connection && connection.connect(), delay);
  });
  connection.on('disconnect', (reason) => {
    // socket.io does not retry after the server cut the connection: reconnecting rejoins the
    // rooms the user may have now, or is refused when the session is over.
    if (reason !== 'io server disconnect') return connectionState.markLost();
    wasCutByServer = true;
    connection.connect();
  });
  socket = connection;
}

function emitWatch(connection: PanelSocket, conversationId: string): void {
  connection.emit('conversation.watch', { conversationId }, () => {
    // ok: false means the chat is not visible to us; its events simply do not come.
  });
}

/**
 * Follows one conversation's events (an admin reading a chat of any department, an operator
 * reading one transferred away). One at a time: opening another stops the previous.
 */
export function watchConversation(conversationId: string | null): void {
  if (watchedConversationId === conversationId) return;
  if (watchedConversationId && socket?.connected) {
    socket.emit('conversation.unwatch', { conversationId: watchedConversationId });
  }
  watchedConversationId = conversationId;
  if (conversationId && socket?.connected) emitWatch(socket, conversationId);
}

/** Ends the connection; a new session starts its sequence afresh. */
export function disconnectRealtime(): void {
  lastSeq = null;
  epoch = null;
  refusedInARow = 0;
  clearTimeout(retryTimer);
  useRealtimeConnectionStore().reset();
  watchedConversationId = null;
  wasCutByServer = false;
  if (!socket) return;
  socket.removeAllListeners();
  socket.disconnect();
  socket = null;
}

export function isRealtimeConnected(): boolean {
  return socket?.connected ?? false;
}
