import { RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, sqlIn, sqlTransaction, type Sql } from '../db/sql.js';
import { serializeError, type Logger } from '../logger.js';
import { truncateCodePoints } from '../text/truncate.js';
import type { OutboxEntryRef, OutboxHandlers, OutboxKind } from './outbox-map.js';

/** The outbox sweep runs this often: a crash or a failed fast path delays by about this much. */
export const OUTBOX_SWEEP_INTERVAL_MS = 5_000;

/** After this many attempts an entry is kept as failed (for diagnosis) instead of retried. */
export const MAX_OUTBOX_ATTEMPTS = 10;

/** Failed entries are kept this long for diagnosis, then deleted (removeExpiredFailures). */
export const FAILED_OUTBOX_RETENTION_DAYS = 7;

/** Entries claimed at once. */
const CLAIM_BATCH_SIZE = 50;

/**
 * A claimed entry is not claimed again for this long: longer than any handler runs, so two
 * dispatchers do not perform one entry side by side; if its process dies, the sweep takes
 * it again after this.
 */
const LEASE_MS = 60_000;

/**
 * The sweep leaves entries due for less than this to the fast path of the process that
 * committed them, which performs its own batch in order; it takes what is left after that.
 */
const SWEEP_GRACE_MS = 2_000;

/** How long one sweep dispatches before it hands over to a fresh job (shutdowns wait for jobs). */
const SWEEP_BUDGET_MS = 2_000;

const ERROR_CODE_POINTS = 1_000;

/** 1 s, 2 s, 4 s … after the nth failed attempt, at most 5 minutes. */
export function outboxRetryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(attempts - 1, 0), 300_000);
}

export type DispatchResult = { claimed: number; performed: number; failed: number };

type ClaimedRow = {
  id: string;
  tenant_id: string;
  kind: OutboxKind;
  payload: unknown;
  attempts: number;
};

/**
 * Performs outbox entries: claims due ones oldest first (`FOR UPDATE SKIP LOCKED`, then a
 * lease, so dispatchers in any process share them and never wait for each other), runs the
 * handler of each entry's kind in its own ORM context, and deletes the entry once done. A
 * failing entry is retried with backoff and, after MAX_OUTBOX_ATTEMPTS, kept as failed; it
 * never holds back the entries after it.
 *
 * At least once: an entry whose process dies before deleting it is performed again after
 * its lease. Handlers are idempotent in effect (see OutboxHandlers), so that is harmless.
 * Order is kept within a claim, not across retries: a retried entry may come after later
 * ones, which is why handlers send full current records rather than changes.
 */
export class OutboxDispatcher {
  constructor(
    private readonly em: EntityManager,
    private readonly handlers: OutboxHandlers,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * The fast path, right after a commit: performs these entries (those another dispatcher
   * has not taken already). Never throws: whatever it could not do, the sweep does.
   */
  async dispatchCommitted(ids: string[]): Promise<void> {
    try {
      for (let start = 0; start < ids.length; start += CLAIM_BATCH_SIZE) {
        await this.dispatch({ ids: ids.slice(start, start + CLAIM_BATCH_SIZE), graceMs: 0 });
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not dispatch outbox entries (the sweep will)');
    }
  }

  /**
   * The sweep: performs due entries, batch after batch, until none is due or its time is
   * up. Returns whether entries may be left (dispatch again at once).
   */
  async dispatchDue(): Promise<{ performed: number; failed: number; more: boolean }> {
    const deadline = this.clock().getTime() + SWEEP_BUDGET_MS;
    let performed = 0;
    let failed = 0;
    while (this.clock().getTime() < deadline) {
      const result = await this.dispatch({ ids: null, graceMs: SWEEP_GRACE_MS });
      performed += result.performed;
      failed += result.failed;
      if (result.claimed < CLAIM_BATCH_SIZE) return { performed, failed, more: false };
    }
    return { performed, failed, more: true };
  }

  /** Deletes entries that failed more than FAILED_OUTBOX_RETENTION_DAYS ago; how many. */
  async removeExpiredFailures(): Promise<number> {
    const removed = await sqlTransaction(this.em, (sql) =>
      sql.acrossTenants(
        `delete from outbox_entry
         where failed_at < now() - ?::int * interval '1 day'
         returning id`,
        [FAILED_OUTBOX_RETENTION_DAYS],
      ),
    );
    return removed.length;
  }

  /**
   * Claims one batch of entries due for at least `graceMs` (of `ids` only, unless null) and
   * performs it.
   */
  async dispatch(selection: { ids: string[] | null; graceMs: number }): Promise<DispatchResult> {
    const claimed = await this.claim(selection.ids, selection.graceMs);
    if (claimed.length === 0) return { claimed: 0, performed: 0, failed: 0 };
    const done: string[] = [];
    const failures: { row: ClaimedRow; error: unknown }[] = [];
    for (const row of claimed) {
      try {
        await this.perform(row);
        done.push(row.id);
      } catch (error) {
        failures.push({ row, error });
      }
    }
    await this.settle(done, failures);
    return { claimed: claimed.length, performed: done.length, failed: failures.length };
  }

  private async claim(ids: string[] | null, graceMs: number): Promise<ClaimedRow[]> {
    // One statement, atomic on its own: no BEGIN and COMMIT around it on the hot paths.
    const rows = await sqlIn(this.em.fork()).acrossTenants<ClaimedRow>(
      `update outbox_entry set attempts = attempts + 1, updated_at = now(),
           available_at = now() + ?::float8 * interval '1 millisecond'
         where id in (
           select id from outbox_entry
           where failed_at is null and available_at <= now() - ?::float8 * interval '1 millisecond'
             and (?::uuid[] is null or id = any(?::uuid[]))
           order by id
           limit ?
           for update skip locked)
         returning id, tenant_id, kind, payload, attempts`,
      [LEASE_MS, graceMs, ids && pgArray(ids), ids && pgArray(ids), CLAIM_BATCH_SIZE],
    );
    // Ids are time-ordered: oldest first, as they were committed.
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private async perform(row: ClaimedRow): Promise<void> {
    const handler = this.handlers[row.kind] as
      ((payload: unknown, entry: OutboxEntryRef) => Promise<void>) | undefined;
    if (!handler) throw new Error(`No outbox handler for kind ${row.kind}`);
    const entry: OutboxEntryRef = { id: row.id, tenantId: row.tenant_id };
    // Like a job: each entry in its own identity map and tenant scope.
    await RequestContext.create(this.em, () => handler(row.payload, entry));
  }

  /** Deletes what was done; schedules the retry of what failed, or keeps it as failed. */
  private async settle(
    done: string[],
    failures: { row: ClaimedRow; error: unknown }[],
  ): Promise<void> {
    for (const { row, error } of failures) {
      const givingUp = row.attempts >= MAX_OUTBOX_ATTEMPTS;
      const context = { err: error, outboxEntryId: row.id, kind: row.kind, attempt: row.attempts };
      if (givingUp) {
        this.logger.error(context, 'an outbox entry failed every attempt; kept as failed');
      } else {
        this.logger.warn(context, 'an outbox entry failed; it will be retried');
      }
    }
    if (failures.length === 0) {
      // The usual case, one statement: no transaction needed.
      if (done.length > 0) await this.deleteDone(sqlIn(this.em.fork()), done);
      return;
    }
    await sqlTransaction(this.em, async (sql) => {
      if (done.length > 0) await this.deleteDone(sql, done);
      for (const { row, error } of failures) {
        const givingUp = row.attempts >= MAX_OUTBOX_ATTEMPTS;
        await sql.acrossTenants(
          `update outbox_entry set available_at = now() + ?::float8 * interval '1 millisecond',
             last_error = ?, failed_at = case when ? then now() end, updated_at = now()
           where id = ?`,
          [outboxRetryDelayMs(row.attempts), describeFailure(error), givingUp, row.id],
        );
      }
    });
  }

  private async deleteDone(sql: Sql, done: string[]): Promise<void> {
    await sql.acrossTenants('delete from outbox_entry where id = any(?::uuid[])', [pgArray(done)]);
  }
}

/** The error's message as the logs show it (database literals redacted), bounded, storable. */
function describeFailure(error: unknown): string {
  const serialized = serializeError(error);
  const message =
    typeof serialized === 'object' && serialized !== null && 'message' in serialized
      ? String(serialized.message)
      : String(error);
  // PostgreSQL's text refuses U+0000.
  return truncateCodePoints(message.replaceAll('\u0000', ''), ERROR_CODE_POINTS);
}
