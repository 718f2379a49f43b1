import type { JobProcessors } from '../jobs/job-map.js';
import type { JobQueues } from '../jobs/job-queues.js';
import type { Logger } from '../logger.js';
import type { OutboxDispatcher } from './outbox-dispatcher.js';

/** The sweep that performs what committing processes left of the outbox. */
export function outboxJobs(
  outbox: OutboxDispatcher,
  queues: JobQueues,
  logger: Logger,
): Pick<JobProcessors, 'outbox-dispatch'> {
  return {
    'outbox-dispatch': async () => {
      const { failed, more } = await outbox.dispatchDue();
      if (failed > 0) logger.debug({ failed }, 'outbox entries wait for a retry');
      if (more) await queues.wake('outbox-dispatch', {}, 'sweep');
    },
  };
}

/** The failed outbox entries' part of the daily 'webhook-retention' job. */
export function removeExpiredOutboxFailures(
  outbox: OutboxDispatcher,
  logger: Logger,
): () => Promise<void> {
  return async () => {
    const failures = await outbox.removeExpiredFailures();
    if (failures > 0) logger.info({ failures }, 'deleted failed outbox entries past retention');
  };
}
