// The panel's only socket.io connection. Server events carry full records, so each one maps to
// a store action that applies it; nothing here refetches or owns state (Chatwoot's pattern).
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  EventMeta,
  RealtimeControlEvents,
  Resync,
  ServerToClientEvents,
} from '@/api/types';
import { useConversationsStore } from '@/stores/conversations';
import { useFacebookPagesStore } from '@/stores/facebook-pages';
import { useMessagesStore } from '@/stores/messages';
import { useOperatorsStore } from '@/stores/operators';
import { useQueueStore } from '@/stores/queue';
import { useSessionStore } from '@/stores/session';

type EventTable = {
  [Event in keyof ServerToClientEvents]: ServerToClientEvents[Event];
};

/** The one table from server event name to store actions. Add new events here. */
export const realtimeEventTable: EventTable = {
  'operator.updated': (user) => {
    useOperatorsStore().upsert(user);
    useSessionStore().applyUserUpdate(user);
  },
  'conversation.updated': (conversation) => useConversationsStore().upsert(conversation),
  'message.created': (message) => useMessagesStore().upsert(message),
  'message.updated': (message) => useMessagesStore().upsert(message),
  'queue.updated': (figures) => useQueueStore().apply(figures),
  'page.deleted': ({ id, pageId }) => {
    useConversationsStore().forgetPage(pageId);
    useFacebookPagesStore().forget(id);
  },
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
    const queue = useQueueStore();
    if (queue.figures) return queue.fetch();
  },
];

type PanelSocket = Socket<ServerToClientEvents & RealtimeControlEvents, ClientToServerEvents>;

let socket: PanelSocket | null = null;
/** The highest event number applied; null until the first connection reports where we are. */
let lastSeq: number | null = null;
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
  if (meta?.seq !== undefined) lastSeq = Math.max(lastSeq ?? 0, meta.seq);
}

/** Reads everything the panel holds again; from now on, events after `serverSeq` apply. */
function reloadAll(serverSeq: number): void {
  lastSeq = serverSeq;
  for (const reload of realtimeReloaders) void reload();
}

/** After a reconnection: replay exactly what was missed, or reload when too much was. */
function resync(connection: PanelSocket, serverSeq: number): void {
  if (wasCutByServer) {
    wasCutByServer = false;
    void useSessionStore()
      .refresh()
      .catch(() => {}); // a 401 here ends the session through the HTTP client
    reloadAll(serverSeq);
    return;
  }
  if (lastSeq === null || lastSeq >= serverSeq) {
    lastSeq = Math.max(lastSeq ?? 0, serverSeq);
    return;
  }
  connection.emit('resync', { after: lastSeq }, (missed: Resync) => {
    if (!missed.complete) return reloadAll(serverSeq);
    for (const entry of missed.events) apply(entry.event, entry.payload, { seq: entry.seq });
  });
}

/**
 * Opens the connection for a signed-in user. socket.io retries by itself while the server is
 * unreachable. A refused handshake (the session ended: logged out elsewhere, password changed,
 * expired, user deleted) calls `onSessionEnded`. Nothing is thrown at the panel.
 */
export function connectRealtime(token: string, onSessionEnded: () => void = () => {}): void {
  disconnectRealtime();
  const connection: PanelSocket = io({
    auth: { token },
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 15_000,
  });
  for (const event of Object.keys(realtimeEventTable) as (keyof ServerToClientEvents)[]) {
    connection.on(event, (payload: unknown, meta?: EventMeta) => apply(event, payload, meta));
  }
  connection.on('realtime.ready', ({ seq }) => {
    resync(connection, seq);
    if (watchedConversationId) emitWatch(connection, watchedConversationId);
  });
  connection.on('connect_error', (error) => {
    if (error.message === 'UNAUTHENTICATED') return onSessionEnded();
    // Expected while the API restarts or is absent (e.g. the dev server alone): socket.io
    // retries by itself, except after a handshake the server refused (UNAVAILABLE).
    if (!connection.active) setTimeout(() => socket === connection && connection.connect(), 5_000);
  });
  connection.on('disconnect', (reason) => {
    // socket.io does not retry after the server cut the connection: reconnecting rejoins the
    // rooms the user may have now, or is refused when the session is over.
    if (reason !== 'io server disconnect') return;
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
