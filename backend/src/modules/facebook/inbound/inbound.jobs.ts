import type { JobProcessors } from '../../../jobs/job-map.js';
import type { JobQueues } from '../../../jobs/job-queues.js';
import type { Logger } from '../../../logger.js';
import type { DispatchCommitted } from '../../../outbox/outbox.js';
import type { InboundService } from './inbound.service.js';
import type { WebhookRetention } from './webhook-retention.js';
import type { WebhookSweeper } from './webhook-sweeper.js';

/** The inbound pipeline's jobs: draining stored deliveries, and the sweep that wakes it. */
export function inboundJobs(deps: {
  inbound: InboundService;
  sweeper: WebhookSweeper;
  queues: JobQueues;
  dispatchCommitted: DispatchCommitted;
  logger: Logger;
  /** Told how many deliveries each drain processed (for /metrics). */
  countProcessed: (deliveries: number) => void;
}): Pick<JobProcessors, 'inbound-drain' | 'webhook-sweep'> {
  const { inbound, sweeper, queues, dispatchCommitted, logger, countProcessed } = deps;
  return {
    'inbound-drain': async ({ lane }) => {
      const drained = await inbound.drain((_outcomes, outboxEntryIds) =>
        dispatchCommitted(outboxEntryIds),
      );
      countProcessed(drained.processed);
      if (drained.more) await queues.wake('inbound-drain', { lane }, lane);
      if (drained.retryInMs !== null) {
        await queues.enqueue(
          'inbound-drain',
          { lane },
          { delay: drained.retryInMs, jobId: `inbound-retry-${lane}-${Date.now()}` },
        );
      }
    },
    'webhook-sweep': async () => {
      const count = await sweeper.sweep();
      if (count > 0) logger.debug({ count }, 'woke the inbound workers for due deliveries');
    },
  };
}

/** The webhook deliveries' part of the daily 'webhook-retention' job. */
export function removeExpiredDeliveries(
  retention: WebhookRetention,
  logger: Logger,
): () => Promise<void> {
  return async () => {
    const count = await retention.removeExpired();
    if (count > 0) logger.info({ count }, 'deleted webhook deliveries past their retention');
  };
}
