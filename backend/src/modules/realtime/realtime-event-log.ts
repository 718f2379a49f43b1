import type { Redis } from 'ioredis';
import type { RealtimeEventName } from './realtime.events.js';

/** How many recent events a tenant's log keeps for panels that reconnect (approximately). */
export const EVENT_LOG_LENGTH = 5_000;
/** A reconnecting panel gets at most this many missed events; beyond, it reloads. */
export const RESYNC_LIMIT = 1_000;

export type LoggedEvent = {
  seq: number;
  rooms: string[];
  event: RealtimeEventName;
  payload: unknown;
};

/** `complete: false`: some missed events are no longer kept; reload instead of replaying. */
export type Resync = { events: Omit<LoggedEvent, 'rooms'>[]; complete: boolean };

// Numbering and appending in one step, so the log is in sequence order whoever publishes.
const APPEND_SCRIPT = `
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'seq', seq, 'entry', ARGV[2])
return seq`;

type WithAppendCommand = {
  appendRealtimeEvent(
    seqKey: string,
    streamKey: string,
    maxLength: number,
    entry: string,
  ): Promise<number>;
};

/**
 * Every tenant's realtime events, numbered 1, 2, 3… and kept for a while in a Redis stream,
 * so that a panel that lost its connection replays exactly what it missed (no gap, however
 * many api instances and workers publish).
 */
export class RealtimeEventLog {
  private readonly redis: Redis & WithAppendCommand;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    // A defined command runs by its SHA (EVALSHA): the script is not sent with every event.
    if (!('appendRealtimeEvent' in redis)) {
      redis.defineCommand('appendRealtimeEvent', { numberOfKeys: 2, lua: APPEND_SCRIPT });
    }
    this.redis = redis as Redis & WithAppendCommand;
  }

  async append(tenantId: string, rooms: string[], event: RealtimeEventName, payload: unknown) {
    const seq = await this.redis.appendRealtimeEvent(
      this.seqKey(tenantId),
      this.streamKey(tenantId),
      EVENT_LOG_LENGTH,
      JSON.stringify({ rooms, event, payload }),
    );
    return Number(seq);
  }

  /** The tenant's latest number (0 before any event). */
  async latest(tenantId: string): Promise<number> {
    return Number((await this.redis.get(this.seqKey(tenantId))) ?? 0);
  }

  /** The events after `seq` addressed to any of `rooms`, oldest first. */
  async after(tenantId: string, seq: number, rooms: Set<string>): Promise<Resync> {
    const latest = await this.latest(tenantId);
    if (seq >= latest) return { events: [], complete: true };
    if (latest - seq > RESYNC_LIMIT) return { events: [], complete: false };
    // Newest first, until the one after `seq`: the missed part is at the end of the stream.
    const entries = await this.redis.xrevrange(
      this.streamKey(tenantId),
      '+',
      '-',
      'COUNT',
      latest - seq,
    );
    const missed = entries
      .map(([, fields]) => parseEntry(fields))
      .filter((entry) => entry.seq > seq)
      .reverse();
    const complete = missed[0]?.seq === seq + 1;
    return {
      complete,
      events: complete
        ? missed
            .filter((entry) => entry.rooms.some((room) => rooms.has(room)))
            .map(({ seq: number, event, payload }) => ({ seq: number, event, payload }))
        : [],
    };
  }

  private seqKey(tenantId: string): string {
    return `${this.prefix}:realtime:${tenantId}:seq`;
  }

  private streamKey(tenantId: string): string {
    return `${this.prefix}:realtime:${tenantId}:log`;
  }
}

function parseEntry(fields: string[]): LoggedEvent {
  const value = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
  const entry = JSON.parse(value('entry')) as Omit<LoggedEvent, 'seq'>;
  return { seq: Number(value('seq')), ...entry };
}
