import type { SocketControl } from './realtime.events.js';
import type { SequencedPublisher } from './sequenced-publisher.js';

/** What socket.io's server and its Redis emitter both offer for a set of rooms. */
type Rooms = {
  except(rooms: string | string[]): Rooms;
  disconnectSockets(close: boolean): void;
  socketsLeave(room: string): void;
};

/**
 * SocketControl over socket.io (`io`) or its emitter: each action is broadcast to every api
 * instance, in order with the events `publisher` sends.
 */
export function createSocketControl(
  publisher: SequencedPublisher,
  sockets: { in(room: string): Rooms },
): SocketControl {
  return {
    disconnect: (room, except) =>
      publisher.afterPublished(() =>
        sockets
          .in(room)
          .except(except ?? [])
          .disconnectSockets(true),
      ),
    leave: (room, unless) =>
      publisher.afterPublished(() => sockets.in(room).except(unless).socketsLeave(room)),
  };
}
