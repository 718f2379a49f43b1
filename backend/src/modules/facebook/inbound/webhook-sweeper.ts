import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobQueues } from '../../../jobs/job-queues.js';
import { wakeInboundDrainers } from './inbound.service.js';

export const SWEEP_INTERVAL_MS = 30_000;

/**
 * PostgreSQL holds every delivery; Redis only says "work on it". This wakes the inbound
 * drainers whenever a delivery is due and pending, so a wake-up lost in a Redis outage, a
 * killed worker or a retry's backoff delays processing and loses nothing. Waking drainers
 * that are busy anyway changes nothing: wake-ups merge, and deliveries are claimed once.
 */
export class WebhookSweeper {
  constructor(
    private readonly em: EntityManager,
    private readonly queues: Pick<JobQueues, 'wake'>,
  ) {}

  /** How many deliveries are due (the drainers were woken if any). */
  async sweep(): Promise<number> {
    const [row] = await this.em.getConnection().execute<{ due: number }[]>(
      `select count(*)::int as due from webhook_event
       where status = 'pending' and (process_after is null or process_after <= now())`,
    );
    const due = row?.due ?? 0;
    if (due > 0) await wakeInboundDrainers(this.queues);
    return due;
  }
}
