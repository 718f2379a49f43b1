import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import { OutboundWebhooksRepository } from './outbound-webhooks.repository.js';

/** How often the sweep runs. */
export const WEBHOOK_DELIVERY_SWEEP_INTERVAL_MS = 60_000;
/** A pending delivery whose attempt is this overdue has lost its job (or it is stuck in a backlog). */
const OVERDUE_AFTER_MS = 2 * 60_000;
const BATCH_SIZE = 500;

/**
 * Deliveries are written before their jobs are queued, and a retry waits in Redis as a
 * delayed job: if Redis lost it, or the job gave up on a database error, this queues it
 * again under its own id (the delivery's) — only when BullMQ no longer holds it, so a
 * backlog never gets a second job per delivery. Attempting twice is harmless anyway: the
 * deliverer writes an outcome only over the state its attempt started from.
 */
export class WebhookDeliverySweeper {
  constructor(
    private readonly em: EntityManager,
    private readonly queues: Pick<JobQueues, 'jobStatus' | 'enqueueAgain'>,
  ) {}

  async sweep(): Promise<number> {
    const overdue = await new OutboundWebhooksRepository(sqlIn(this.em)).overdue(
      OVERDUE_AFTER_MS,
      BATCH_SIZE,
    );
    const statuses = await Promise.all(
      overdue.map((delivery) => this.queues.jobStatus('webhook-delivery', delivery.id)),
    );
    const lost = overdue.filter((_delivery, index) => statuses[index] !== 'queued');
    for (const { id, tenantId } of lost)
      await this.queues.enqueueAgain('webhook-delivery', { tenantId, deliveryId: id }, id);
    return lost.length;
  }
}
