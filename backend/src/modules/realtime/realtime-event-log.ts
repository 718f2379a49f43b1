import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RealtimeEventName, Resync, ResyncedEvent } from './realtime.events.js';

/** How many recent events a tenant's log keeps for panels that reconnect (approximately). */
export const EVENT_LOG_LENGTH = 5_000;
/** A reconnecting panel gets at most this many missed events; beyond, it reloads. */
export const RESYNC_LIMIT = 1_000;

/** Entries read per round trip while forgetting. */
const FORGET_PAGE = 1_000;

/** An event as the log keeps it: with the rooms it went to, so a resync honours them. */
export type LoggedEvent = ResyncedEvent & { rooms: string[] };

/**
 * Where a tenant's sequence stands. `epoch` names this run of the numbering: it changes when
 * Redis lost the sequence (restarted empty, failed over), which restarts the numbers at 1.
 */
export type SequencePosition = { seq: number; epoch: string };

// KEYS: the tenant's sequence (a hash: seq, epoch), its stream, and the sequence's key of
// before epochs (a plain counter). ARGV[1]: a fresh random epoch, used only if none exists.
// The epoch lives in the same key as the counter, so Redis cannot lose one and keep the other.
const ENSURE_EPOCH = `
local function ensureEpoch()
  if redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1]) == 1 then
    local numberedBefore = redis.call('GET', KEYS[3])
    if numberedBefore then
      -- The first start after epochs came: the numbering goes on, open panels see no change.
      redis.call('HSET', KEYS[1], 'seq', numberedBefore)
      redis.call('DEL', KEYS[3])
    else
      -- A new numbering: whatever the stream still holds belongs to the old one.
      redis.call('DEL', KEYS[2])
    end
  end
  return redis.call('HGET', KEYS[1], 'epoch')
end`;

// Numbering and appending in one step, so the log is in sequence order whoever publishes.
const APPEND_SCRIPT = `${ENSURE_EPOCH}
local epoch = ensureEpoch()
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'seq', seq, 'entry', ARGV[3])
return {seq, epoch}`;

const POSITION_SCRIPT = `${ENSURE_EPOCH}
local epoch = ensureEpoch()
return {tonumber(redis.call('HGET', KEYS[1], 'seq') or 0), epoch}`;

type Keys = [sequenceKey: string, streamKey: string, numberedBeforeKey: string];
type WithLogCommands = {
  appendRealtimeEvent(
    ...args: [...Keys, candidateEpoch: string, maxLength: number, entry: string]
  ): Promise<[number, string]>;
  realtimeSequencePosition(...args: [...Keys, candidateEpoch: string]): Promise<[number, string]>;
};

/**
 * Every tenant's realtime events, numbered 1, 2, 3… and kept for a while in a Redis stream,
 * so that a panel that lost its connection replays exactly what it missed (no gap, however
 * many api instances and workers publish). Redis may lose everything; the numbering then
 * restarts under a new epoch, and panels that see another epoch than theirs reload.
 */
export class RealtimeEventLog {
  private readonly redis: Redis & WithLogCommands;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    // A defined command runs by its SHA (EVALSHA): the script is not sent with every event.
    if (!('appendRealtimeEvent' in redis)) {
      redis.defineCommand('appendRealtimeEvent', { numberOfKeys: 3, lua: APPEND_SCRIPT });
      redis.defineCommand('realtimeSequencePosition', { numberOfKeys: 3, lua: POSITION_SCRIPT });
    }
    this.redis = redis as Redis & WithLogCommands;
  }

  async append(
    tenantId: string,
    rooms: string[],
    event: RealtimeEventName,
    payload: unknown,
  ): Promise<SequencePosition> {
    const [seq, epoch] = await this.redis.appendRealtimeEvent(
      ...this.keys(tenantId),
      newEpoch(),
      EVENT_LOG_LENGTH,
      JSON.stringify({ rooms, event, payload }),
    );
    return { seq: Number(seq), epoch };
  }

  /** The tenant's latest number (0 before any event) and its epoch. */
  async position(tenantId: string): Promise<SequencePosition> {
    const [seq, epoch] = await this.redis.realtimeSequencePosition(
      ...this.keys(tenantId),
      newEpoch(),
    );
    return { seq: Number(seq), epoch };
  }

  /**
   * The events after `seq` addressed to any of `rooms`, oldest first. `epoch`: the one the
   * panel counted `seq` in (a panel from before epochs sends none).
   */
  async after(tenantId: string, seq: number, rooms: Set<string>, epoch?: string): Promise<Resync> {
    const latest = await this.position(tenantId);
    const incomplete = { events: [], complete: false, epoch: latest.epoch };
    if (epoch !== undefined && epoch !== latest.epoch) return incomplete;
    if (seq > latest.seq) return incomplete; // counted in a numbering that is gone
    if (seq === latest.seq) return { events: [], complete: true, epoch: latest.epoch };
    if (latest.seq - seq > RESYNC_LIMIT) return incomplete;
    // Newest first, until the one after `seq`: the missed part is at the end of the stream.
    const entries = await this.redis.xrevrange(
      this.keys(tenantId)[1],
      '+',
      '-',
      'COUNT',
      latest.seq - seq,
    );
    const missed = entries
      .map(([, fields]) => parseEntry(fields))
      .filter((entry) => entry.seq > seq)
      .reverse();
    const complete = missed[0]?.seq === seq + 1;
    return {
      complete,
      epoch: latest.epoch,
      events: complete
        ? missed
            .filter((entry) => entry.rooms.some((room) => rooms.has(room)))
            .map(({ seq: number, event, payload }) => ({ seq: number, event, payload }))
        : [],
    };
  }

  /**
   * Removes the logged events that mention any of `ids` (an erased visitor's conversations):
   * a panel reconnecting later must not be replayed what the erasure removed. A panel whose
   * first missed event was removed finds the replay incomplete and reloads.
   */
  async forget(tenantId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const stream = this.keys(tenantId)[1];
    let start = '-';
    for (;;) {
      const entries = await this.redis.xrange(stream, start, '+', 'COUNT', FORGET_PAGE);
      const mentioning = entries
        .filter(([, fields]) => ids.some((id) => fields.some((field) => field.includes(id))))
        .map(([entryId]) => entryId);
      if (mentioning.length > 0) await this.redis.xdel(stream, ...mentioning);
      if (entries.length < FORGET_PAGE) return;
      start = `(${entries[entries.length - 1]![0]}`;
    }
  }

  private keys(tenantId: string): Keys {
    const base = `${this.prefix}:realtime:${tenantId}`;
    return [`${base}:sequence`, `${base}:log`, `${base}:seq`];
  }
}

/**
 * A candidate epoch, used only when Redis has none (it lost the sequence): unique without
 * drawing random bytes for every event — a random part per process and a counter.
 */
const epochBase = randomBytes(6).toString('hex');
let epochCount = 0;
function newEpoch(): string {
  epochCount += 1;
  return `${epochBase}${epochCount.toString(36)}`;
}

function parseEntry(fields: string[]): LoggedEvent {
  const value = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
  const entry = JSON.parse(value('entry')) as Omit<LoggedEvent, 'seq'>;
  return { seq: Number(value('seq')), ...entry };
}
