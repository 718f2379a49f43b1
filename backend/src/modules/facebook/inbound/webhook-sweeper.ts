import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../../db/sql.js';
import type { JobQueues } from '../../../jobs/job-queues.js';
import { InboundStore } from './inbound-store.js';
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
    const due = await new InboundStore(sqlIn(this.em)).countDue();
    if (due > 0) await wakeInboundDrainers(this.queues);
    return due;
  }
}
