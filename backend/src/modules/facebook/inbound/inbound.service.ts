import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlTransaction } from '../../../db/sql.js';
import type { JobQueues } from '../../../jobs/job-queues.js';
import type { Logger } from '../../../logger.js';
import { appendToOutbox } from '../../../outbox/outbox.js';
import { ConversationStore } from '../../conversations/conversation-store.js';
import { applyDeliveries, type InboundOutcome } from './inbound-batch.js';
import { inboundFollowUpsOf } from './inbound-follow-ups.js';
import { InboundStore, type ClaimedDelivery } from './inbound-store.js';

export type { InboundOutcome } from './inbound-batch.js';

/**
 * After this many failed attempts a delivery is marked failed rather than retried. With the
 * backoff below that is about half a minute: long enough for a passing fault, short enough
 * that every delivery is settled (processed, ignored or failed) within minutes.
 */
export const MAX_PROCESSING_ATTEMPTS = 6;

/** Deliveries claimed and applied in one transaction. */
const BATCH_SIZE = 100;

/**
 * How long one drain runs before it hands over to a fresh job, so that a long backlog never
 * keeps a job running (a shutdown waits for running jobs).
 */
const DRAIN_BUDGET_MS = 2_000;

/**
 * Independent drainers: each lane runs one drain at a time (its wake-ups merge), and lanes
 * run side by side, in one worker process or several.
 */
export const INBOUND_DRAIN_LANES = ['a', 'b'] as const;
export type InboundDrainLane = (typeof INBOUND_DRAIN_LANES)[number];

/** Tells every drain lane that deliveries wait (wake-ups of a busy lane merge). */
export async function wakeInboundDrainers(queues: Pick<JobQueues, 'wake'>): Promise<void> {
  await Promise.all(
    INBOUND_DRAIN_LANES.map((lane) => queues.wake('inbound-drain', { lane }, lane)),
  );
}

/** 1 s, 2 s, 4 s … after each failed attempt, at most 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** attempts, 300_000);
}

export type DrainResult = {
  processed: number;
  /** The bound was reached with deliveries still pending: drain again. */
  more: boolean;
  /** Some deliveries wait for a retry: drain again after this long. */
  retryInMs: number | null;
};

type BatchOutcome = {
  claimed: number;
  outcomes: InboundOutcome[];
  /** The batch's 'inbound-follow-ups' outbox entries, committed with it. */
  outboxEntryIds: string[];
  retryInMs: number | null;
};

/**
 * Processes the stored webhook deliveries: workers claim the oldest pending ones in batches
 * (`FOR UPDATE SKIP LOCKED`, so several workers share the backlog without waiting for each
 * other) and apply each batch in one transaction (inbound-batch.ts). A batch that fails is
 * retried one delivery at a time, so one bad delivery never holds back the others.
 */
export class InboundService {
  constructor(
    private readonly em: EntityManager,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Processes due deliveries until none is left. What each batch must cause (realtime pushes,
   * routing, follow-up jobs) is committed with it as outbox entries, one per tenant; their
   * ids go to `afterCommit` (with the outcomes they hold) to be dispatched at once, before
   * the next batch. If that fails or the process dies first, the outbox sweep performs them.
   */
  async drain(
    afterCommit: (outcomes: InboundOutcome[], outboxEntryIds: string[]) => Promise<void>,
  ): Promise<DrainResult> {
    let processed = 0;
    let retryInMs: number | null = null;
    const deadline = this.clock().getTime() + DRAIN_BUDGET_MS;
    while (this.clock().getTime() < deadline) {
      const outcome = await this.processBatch({ limit: BATCH_SIZE });
      if (outcome.claimed === 0) return { processed, more: false, retryInMs };
      processed += outcome.claimed;
      retryInMs = earliest(retryInMs, outcome.retryInMs);
      await afterCommit(outcome.outcomes, outcome.outboxEntryIds);
    }
    return { processed, more: true, retryInMs };
  }

  /**
   * Processes these deliveries now, if due and not held by a worker (a replay from the
   * inspector), through the same path as a drain; returns what they caused, committed and
   * handed to `afterCommit` as a drain does.
   */
  async processNow(
    ids: string[],
    afterCommit: (outcomes: InboundOutcome[], outboxEntryIds: string[]) => Promise<void>,
  ): Promise<InboundOutcome[]> {
    const outcome = await this.processBatch({ ids });
    await afterCommit(outcome.outcomes, outcome.outboxEntryIds);
    return outcome.outcomes;
  }

  private async processBatch(
    selection: { limit: number } | { ids: string[] },
  ): Promise<BatchOutcome> {
    let claimed: ClaimedDelivery[] = [];
    try {
      return await sqlTransaction(this.em, async (sql) => {
        const store = new InboundStore(sql);
        claimed = await store.claim(selection);
        if (claimed.length === 0) {
          return { claimed: 0, outcomes: [], outboxEntryIds: [], retryInMs: null };
        }
        const { outcomes, postponed } = await applyDeliveries(
          store,
          new ConversationStore(sql, this.clock),
          claimed,
          this.clock(),
        );
        const waits = claimed
          .filter((delivery) => postponed.includes(delivery.id))
          .map((delivery) => ({
            id: delivery.id,
            delayMs: retryDelayMs(delivery.attempts),
            reason: 'An edit waits for the message it edits.',
          }));
        await store.postpone(waits, MAX_PROCESSING_ATTEMPTS);
        const outboxEntryIds = await appendToOutbox(sql, [
          ...outcomes.map((outcome) => ({
            tenantId: outcome.tenantId,
            kind: 'inbound-follow-ups' as const,
            payload: inboundFollowUpsOf(outcome),
          })),
          // After the panels are told: the menu's message follows the visitor's in order.
          ...outcomes
            .filter((outcome) => outcome.departmentMenuOffers.length > 0)
            .map((outcome) => ({
              tenantId: outcome.tenantId,
              kind: 'department-menu-due' as const,
              payload: { offers: outcome.departmentMenuOffers },
            })),
        ]);
        const retryInMs = waits.length ? Math.min(...waits.map((wait) => wait.delayMs)) : null;
        return { claimed: claimed.length, outcomes, outboxEntryIds, retryInMs };
      });
    } catch (error) {
      if (claimed.length === 0) throw error; // nothing claimed: the database itself failed
      if (claimed.length === 1) return this.recordFailure(claimed[0]!, error);
      const oneByOne: BatchOutcome = {
        claimed: claimed.length,
        outcomes: [],
        outboxEntryIds: [],
        retryInMs: null,
      };
      for (const delivery of claimed) {
        const outcome = await this.processBatch({ ids: [delivery.id] });
        oneByOne.outcomes.push(...outcome.outcomes);
        oneByOne.outboxEntryIds.push(...outcome.outboxEntryIds);
        oneByOne.retryInMs = earliest(oneByOne.retryInMs, outcome.retryInMs);
      }
      return oneByOne;
    }
  }

  /**
   * Counts a failed attempt and sets the delivery's next one; after MAX_PROCESSING_ATTEMPTS
   * it is marked failed (kept for diagnosis) instead of being retried forever. Recording
   * must not fail: if storing the reason does, the attempt is counted without it, so the
   * delivery still moves out of the way (only a database that is down stops both).
   */
  private async recordFailure(delivery: ClaimedDelivery, error: unknown): Promise<BatchOutcome> {
    const delayMs = retryDelayMs(delivery.attempts);
    this.logger.warn(
      { err: error, eventId: delivery.id, attempt: delivery.attempts + 1 },
      `could not process a webhook delivery (it is tried ${MAX_PROCESSING_ATTEMPTS} times, then kept as failed)`,
    );
    const reason = error instanceof Error ? error.message : String(error);
    try {
      await sqlTransaction(this.em, (sql) =>
        new InboundStore(sql).postpone(
          [{ id: delivery.id, delayMs, reason }],
          MAX_PROCESSING_ATTEMPTS,
        ),
      );
    } catch (recordingError) {
      this.logger.error(
        { err: recordingError, eventId: delivery.id },
        'could not record why a webhook delivery failed; postponing it without the reason',
      );
      await sqlTransaction(this.em, (sql) =>
        new InboundStore(sql).postponeWithoutReason(delivery.id, delayMs, MAX_PROCESSING_ATTEMPTS),
      );
    }
    return { claimed: 1, outcomes: [], outboxEntryIds: [], retryInMs: delayMs };
  }
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
