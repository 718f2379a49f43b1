import type { EntityManager } from '@mikro-orm/postgresql';
import { TENANT_FILTER } from '../../../db/tenant-filter.js';
import type { JobQueues } from '../../../jobs/job-queues.js';
import { WebhookEvent } from '../webhook-event.entity.js';

export const SWEEP_INTERVAL_MS = 30_000;
/** A stored delivery still pending after this long lost its job (or Redis was down). */
const STALE_AFTER_MS = 30_000;
const BATCH_SIZE = 500;

/**
 * PostgreSQL holds every delivery; Redis only says "work on it". This puts back into the
 * queue what was stored but never finished, so a Redis outage or a killed worker delays
 * processing and loses nothing. Enqueueing twice is harmless: processing is idempotent.
 */
export class WebhookSweeper {
  constructor(
    private readonly em: EntityManager,
    private readonly queues: Pick<JobQueues, 'enqueue'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async sweep(): Promise<number> {
    const now = this.clock();
    const stale = await this.em.find(
      WebhookEvent,
      { status: 'pending', createdAt: { $lt: new Date(now.getTime() - STALE_AFTER_MS) } },
      {
        filters: { [TENANT_FILTER]: false },
        fields: ['id'],
        orderBy: { createdAt: 'asc' },
        limit: BATCH_SIZE,
      },
    );
    // A new job id per sweep round: BullMQ keeps finished jobs' ids for a while and would
    // silently ignore the same id again.
    const round = Math.floor(now.getTime() / SWEEP_INTERVAL_MS);
    for (const event of stale) {
      await this.queues.enqueue(
        'inbound-event',
        { eventId: event.id },
        { jobId: `${event.id}-sweep-${round}` },
      );
    }
    return stale.length;
  }
}
