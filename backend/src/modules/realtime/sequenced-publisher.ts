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
  /** Settles once the last event published (or the last ordered action) has gone out. */
  private lastSent: Promise<void> = Promise.resolve();
  /** Settles once the last ordered action ran: events published after it wait for it. */
  private lastAction: Promise<void> = Promise.resolve();

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
    const action = this.lastAction;
    this.lastSent = this.log.append(tenantId, rooms, event, payload).then(
      ({ seq, epoch }) => action.then(() => this.emit(rooms, event, payload, { seq, epoch })),
      (error: unknown) =>
        action.then(() => {
          this.onError(error);
          this.emit(rooms, event, payload, {});
        }),
    );
  }

  /**
   * Runs `action` (a room change, a disconnection) after every event published so far has
   * been sent and before any event published from now on.
   */
  afterPublished(action: () => void): void {
    const run = () => {
      try {
        action();
      } catch (error) {
        this.onError(error);
      }
    };
    this.lastAction = this.lastSent.then(run, run);
    this.lastSent = this.lastAction;
  }
}
