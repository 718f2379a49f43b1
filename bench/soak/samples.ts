import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type pg from 'pg';

/** The tables whose growth the soak watches: the data itself, and what serves it. */
export const WATCHED_TABLES = [
  'webhook_event',
  'message',
  'conversation',
  'conversation_event',
  'contact',
  'outbox_entry',
  'user_session',
] as const;

export type TableName = (typeof WATCHED_TABLES)[number];

/** One look at every resource the soak watches, `atS` seconds after the load began. */
export type Sample = {
  atS: number;
  phase: string;
  /** Events POSTed so far (every phase). */
  offered: number;
  /** Resident memory of each process, MB (VmRSS); null when the process was gone. */
  rssMb: Record<string, number | null>;
  /** `families`: keys per shape (ids as `*`), so a growing kind of key can be named. */
  redis: { keys: number; families: Record<string, number>; usedMemoryMb: number };
  tables: Record<TableName, { rows: number; bytes: number }>;
  backlog: {
    /** Deliveries acknowledged but not yet stored (webhook_event pending). */
    pendingDeliveries: number;
    /** Operator replies written but not yet accepted by the Send API. */
    pendingSends: number;
    /** Outbox entries not yet dispatched (and not given up on). */
    outbox: number;
    queuedConversations: number;
  };
};

/** Resident set size of a process in MB, from /proc (Linux); null when it has exited. */
export function residentMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kilobytes === undefined ? null : Math.round(Number(kilobytes) / 102.4) / 10;
  } catch {
    return null;
  }
}

/** Keys under `prefix`, counted with SCAN (DBSIZE would count other people's keys too). */
export async function countRedisKeys(
  redis: Redis,
  prefix: string,
): Promise<{ keys: number; families: Record<string, number> }> {
  let keys = 0;
  const families: Record<string, number> = {};
  for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 1_000 })) {
    for (const key of batch as string[]) {
      keys += 1;
      const family = keyFamily(key.slice(prefix.length));
      families[family] = (families[family] ?? 0) + 1;
    }
  }
  return { keys, families };
}

/** A key with its ids (uuids, numbers, long hex or base64url runs) replaced by `*`. */
function keyFamily(key: string): string {
  return key
    .split(':')
    .map((part) =>
      /^[0-9a-f-]{32,36}$/i.test(part) || /^\d+$/.test(part) || /^[\w-]{20,}$/.test(part)
        ? '*'
        : part,
    )
    .join(':');
}

/** The whole Redis server's `used_memory` (shared with whoever else uses it), MB. */
export async function redisUsedMemoryMb(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const bytes = Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
  return Math.round(bytes / 104_857.6) / 10;
}

/** Exact row counts and on-disk size (with indexes and TOAST) of the watched tables. */
export async function tableFigures(db: pg.Pool): Promise<Sample['tables']> {
  const counts = WATCHED_TABLES.map(
    (table) =>
      `select '${table}' as name, count(*)::bigint as rows, pg_total_relation_size('${table}') as bytes from ${table}`,
  ).join(' union all ');
  const { rows } = await db.query<{ name: TableName; rows: string; bytes: string }>(counts);
  return Object.fromEntries(
    rows.map((row) => [row.name, { rows: Number(row.rows), bytes: Number(row.bytes) }]),
  ) as Sample['tables'];
}

export async function backlogFigures(db: pg.Pool): Promise<Sample['backlog']> {
  const { rows } = await db.query<Record<keyof Sample['backlog'], number>>(
    `select
       (select count(*)::int from webhook_event where status = 'pending') as "pendingDeliveries",
       (select count(*)::int from message where direction = 'out' and status = 'pending') as "pendingSends",
       (select count(*)::int from outbox_entry where failed_at is null) as outbox,
       (select count(*)::int from conversation where status = 'queued') as "queuedConversations"`,
  );
  return rows[0]!;
}
