import pg from 'pg';
import { parseBenchText } from './deliveries.js';
import { sleep } from '../shared/processes.js';
import { distribution, round, type Distribution } from '../shared/stats.js';

/** What PostgreSQL says happened to the events of one phase. */
export type StorageResult = {
  /** Events whose delivery was stored (webhook_event rows of the phase). */
  eventsStored: number;
  eventsProcessed: number;
  eventsFailed: number;
  /** Message rows of the phase, and how many distinct mids they hold (duplicates = 0). */
  messages: number;
  duplicateMessages: number;
  /**
   * POST → processed: `webhook_event.processed_at − send time`. processed_at is set by the
   * worker right before the flush that commits the event's contact, conversation and message,
   * so this is the time until the message is stored, short by that one commit.
   */
  toProcessedMs: Distribution;
  /**
   * POST → visible: a sample of the mids, polled from a separate connection every
   * VISIBILITY_POLL_MS; the first poll that sees the committed message row. Over-states by at
   * most one poll interval plus a query; null when nothing was sampled.
   */
  toVisibleMs: Distribution | null;
  /** Events stored but not yet processed at the moment the load stopped. */
  backlogAtLoadEnd: number;
  /** From the load stopping to the last event of the phase processed (null: not drained). */
  drainS: number | null;
  /**
   * When the wait ended first: deliveries still pending, and how long the rest would take at
   * the rate the worker drained them during the wait (null when drained, or no progress).
   */
  pendingAfterWait: number;
  estimatedDrainS: number | null;
  /** Events the worker finished per second, from its first to its last event of the phase. */
  workerEventsPerS: number | null;
  /** Events of any phase the worker finished while the CPU meter ran (for CPU per event). */
  processedDuringLoad: number;
};

export const VISIBILITY_POLL_MS = 20;

export class BenchDatabase {
  private constructor(private readonly client: pg.Client) {}

  static async connect(databaseUrl: string): Promise<BenchDatabase> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return new BenchDatabase(client);
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  async serverVersion(): Promise<string> {
    const { rows } = await this.client.query<{ server_version: string }>('show server_version');
    return rows[0]!.server_version.split(' ')[0]!;
  }

  /** PostgreSQL backends serving other databases right now (someone else's tests). */
  async foreignBackendPids(): Promise<number[]> {
    const { rows } = await this.client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname is not null and datname <> current_database()',
    );
    return rows.map((row) => row.pid);
  }

  /** Omni's internal id of the one page (messages reference it). */
  async pageRowId(): Promise<string> {
    const { rows } = await this.client.query<{ id: string }>('select id from facebook_page');
    if (rows.length !== 1) throw new Error(`Expected one facebook_page row, found ${rows.length}`);
    return rows[0]!.id;
  }

  async pendingEvents(): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(
      `select count(*) as n from webhook_event where status = 'pending'`,
    );
    return Number(rows[0]!.n);
  }

  /**
   * Gives the planner statistics of the tables the warm-up filled, as autovacuum does on any
   * database that has been running: a brand-new one has none, and then plans nested loops
   * over sequential scans for the first minute (hundreds of ms per query at a few thousand rows).
   */
  async analyze(): Promise<void> {
    await this.client.query('analyze');
  }

  /** Waits until no delivery is pending (true), or `timeoutMs` passed (false). */
  async waitForDrain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.pendingEvents()) === 0) return true;
      await sleep(200);
    }
    return (await this.pendingEvents()) === 0;
  }

  async measure(
    phase: string,
    load: { startedAt: number; endedAt: number },
    visibility: VisibilitySampler | null,
    cpuWindow: { from: number; to: number } | null,
    wait: { pendingBefore: number; pendingAfter: number; seconds: number } | null,
  ): Promise<StorageResult> {
    const { rows } = await this.client.query<{
      text: string;
      stored_ms: number;
      processed_ms: number | null;
      status: string;
    }>(
      `select item #>> '{message,text}' as text,
              extract(epoch from e.created_at) * 1000 as stored_ms,
              extract(epoch from e.processed_at) * 1000 as processed_ms,
              e.status
         from webhook_event e
        cross join lateral jsonb_array_elements(
          convert_from(e.raw_body, 'UTF8')::jsonb -> 'entry') as en
        cross join lateral jsonb_array_elements(en -> 'messaging') as item
        where position(convert_to($1, 'UTF8') in e.raw_body) > 0`,
      [`"text":"bench ${phase} `],
    );
    const toProcessed: number[] = [];
    let unprocessed = 0;
    let failed = 0;
    let backlogAtLoadEnd = 0;
    let firstProcessed = Infinity;
    let lastProcessed = -Infinity;
    for (const row of rows) {
      const parsed = parseBenchText(row.text);
      if (!parsed || parsed.phase !== phase) continue;
      const processedMs = row.processed_ms === null ? null : Number(row.processed_ms);
      if (row.status === 'failed') failed += 1;
      if (processedMs === null) {
        unprocessed += 1;
      } else {
        toProcessed.push(processedMs - parsed.sentAt);
        firstProcessed = Math.min(firstProcessed, processedMs);
        lastProcessed = Math.max(lastProcessed, processedMs);
      }
      if (Number(row.stored_ms) <= load.endedAt && (processedMs ?? Infinity) > load.endedAt)
        backlogAtLoadEnd += 1;
    }
    const { rows: counts } = await this.client.query<{ n: string; distinct_mids: string }>(
      `select count(*) as n, count(distinct dedup_key) as distinct_mids
         from message where text like $1`,
      [`bench ${phase} %`],
    );
    const messages = Number(counts[0]!.n);
    const { rows: during } = await this.client.query<{ n: string }>(
      `select count(*) as n from webhook_event
        where processed_at between to_timestamp($1 / 1000.0) and to_timestamp($2 / 1000.0)`,
      [cpuWindow?.from ?? load.startedAt, cpuWindow?.to ?? load.endedAt],
    );
    const processed = toProcessed.length;
    return {
      eventsStored: processed + unprocessed,
      eventsProcessed: processed,
      eventsFailed: failed,
      messages,
      duplicateMessages: messages - Number(counts[0]!.distinct_mids),
      toProcessedMs: distribution(toProcessed, unprocessed),
      toVisibleMs: visibility ? visibility.result() : null,
      backlogAtLoadEnd,
      drainS:
        unprocessed === 0 && processed > 0 ? round((lastProcessed - load.endedAt) / 1000) : null,
      workerEventsPerS:
        processed > 1 ? Math.round((processed * 1000) / (lastProcessed - firstProcessed)) : null,
      processedDuringLoad: Number(during[0]!.n),
      pendingAfterWait: wait?.pendingAfter ?? 0,
      estimatedDrainS: estimateDrain(wait),
    };
  }
}

function estimateDrain(
  wait: { pendingBefore: number; pendingAfter: number; seconds: number } | null,
): number | null {
  if (!wait || wait.pendingAfter === 0) return null;
  const rate = (wait.pendingBefore - wait.pendingAfter) / wait.seconds;
  return rate > 0 ? round(wait.seconds + wait.pendingAfter / rate, 0) : null;
}

/**
 * Watches a sample of mids from its own connection: every VISIBILITY_POLL_MS it asks which
 * of the outstanding ones are committed message rows (an index lookup on (page, dedup_key)).
 */
export class VisibilitySampler {
  private readonly outstanding = new Map<string, number>();
  private readonly latencies: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private finished = false;
  /** A failed poll (reported, never fatal: the sample is a cross-check). */
  lastError: unknown = null;

  private constructor(
    private readonly client: pg.Client,
    private readonly pageRowId: string,
  ) {}

  static async start(databaseUrl: string, pageRowId: string): Promise<VisibilitySampler> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const sampler = new VisibilitySampler(client, pageRowId);
    sampler.timer = setInterval(() => {
      sampler.poll().catch((error: unknown) => (sampler.lastError = error));
    }, VISIBILITY_POLL_MS);
    return sampler;
  }

  track(mid: string, sentAt: number): void {
    this.outstanding.set(mid, sentAt);
  }

  /** Keeps polling until every tracked mid is seen or `timeoutMs` passes, then stops. */
  async finish(timeoutMs: number): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const deadline = Date.now() + timeoutMs;
    while (this.outstanding.size > 0 && Date.now() < deadline) await sleep(VISIBILITY_POLL_MS);
    if (this.timer) clearInterval(this.timer);
    while (this.polling) await sleep(5);
    await this.client.end();
  }

  result(): Distribution {
    return distribution(this.latencies, this.outstanding.size);
  }

  private async poll(): Promise<void> {
    if (this.polling || this.outstanding.size === 0) return;
    this.polling = true;
    try {
      const askedAt = Date.now();
      const { rows } = await this.client.query<{ dedup_key: string }>(
        'select dedup_key from message where page_id = $1 and dedup_key = any($2::text[])',
        [this.pageRowId, [...this.outstanding.keys()]],
      );
      for (const { dedup_key: mid } of rows) {
        const sentAt = this.outstanding.get(mid);
        if (sentAt === undefined) continue;
        this.latencies.push(askedAt - sentAt);
        this.outstanding.delete(mid);
      }
    } finally {
      this.polling = false;
    }
  }
}
