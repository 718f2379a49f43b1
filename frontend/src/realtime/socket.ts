// The panel's only socket.io connection. Server events carry full records, so each one maps to
// a store action that applies it; nothing here refetches or owns state (Chatwoot's pattern).
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ServerToClientEvents } from '@/api/types';
import { useOperatorsStore } from '@/stores/operators';
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
};

let socket: Socket<ServerToClientEvents> | null = null;

/**
 * Opens the connection for a signed-in user. socket.io retries by itself while the server is
 * unreachable; a rejected handshake (bad token) stops retrying, and the next API call's 401 ends
 * the session. Either way nothing is thrown at the panel.
 */
export function connectRealtime(token: string): void {
  disconnectRealtime();
  const connection: Socket<ServerToClientEvents> = io({
    auth: { token },
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 15_000,
  });
  for (const event of Object.keys(realtimeEventTable) as (keyof ServerToClientEvents)[]) {
    connection.on(event, (...args: Parameters<ServerToClientEvents[typeof event]>) => {
      try {
        realtimeEventTable[event](...args);
      } catch (error) {
        // A malformed event must not break the connection for the ones that follow.
        console.error(`[realtime] handling ${event} failed`, error);
      }
    });
  }
  connection.on('connect_error', () => {
    // Expected while the API restarts or is absent (e.g. the dev server alone); see above.
  });
  socket = connection;
}

export function disconnectRealtime(): void {
  if (!socket) return;
  socket.removeAllListeners();
  socket.disconnect();
  socket = null;
}

export function isRealtimeConnected(): boolean {
  return socket?.connected ?? false;
}
