import type { RealtimeEventLog } from './realtime-event-log.js';
import type {
  EventMeta,
  RealtimeEventName,
  RealtimePayload,
  RealtimePublisher,
} from './realtime.events.js';

/** Snapshots, not changes: not numbered nor kept; a reconnecting panel reloads them. */
const SNAPSHOT_EVENTS = new Set<RealtimeEventName>(['queue.updated', 'realtime.ready']);

/** Hands one event to socket.io (the api's server, or the worker's Redis emitter). */
export type EmitToRooms = (
  rooms: string[],
  event: RealtimeEventName,
  payload: unknown,
  meta: EventMeta,
) => void;

/**
 * Numbers each event in its tenant's log before sending it. Events of one publisher leave
 * in the order they were published (one Redis connection answers in order). If Redis
 * cannot number an event it is still sent, unnumbered: a live panel gets it, and a
 * reconnecting one that misses it reloads, since the log has a gap.
 */
export class SequencedPublisher implements RealtimePublisher {
  constructor(
    private readonly log: RealtimeEventLog,
    private readonly emit: EmitToRooms,
    private readonly onError: (error: unknown) => void,
  ) {}

  publish<E extends RealtimeEventName>(
    tenantId: string,
    to: string | string[],
    event: E,
    payload: RealtimePayload<E>,
  ): void {
    const rooms = [to].flat();
    if (SNAPSHOT_EVENTS.has(event)) return this.emit(rooms, event, payload, {});
    this.log.append(tenantId, rooms, event, payload).then(
      (seq) => this.emit(rooms, event, payload, { seq }),
      (error: unknown) => {
        this.onError(error);
        this.emit(rooms, event, payload, {});
      },
    );
  }
}
