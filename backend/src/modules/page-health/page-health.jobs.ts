import type { JobProcessors } from '../../jobs/job-map.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import type { Logger } from '../../logger.js';
import type { PageProbe } from './page-probe.js';
import type { PageHealthSweep } from './page-health-sweep.js';

/** The daily sweep hands out one probe per page; a probe Facebook could not answer retries. */
export function pageHealthJobs(
  sweep: PageHealthSweep,
  probe: PageProbe,
  queues: Pick<JobQueues, 'enqueueMany'>,
  logger: Logger,
): Pick<JobProcessors, 'page-health-sweep' | 'page-health-check'> {
  return {
    'page-health-sweep': async () => {
      const checks = await sweep.plan();
      await queues.enqueueMany('page-health-check', checks);
      logger.info({ pages: checks.length }, 'scheduled the daily page health checks');
    },
    'page-health-check': async ({ pageId }) => {
      const outcome = await probe.probe(pageId);
      if (outcome === 'unreachable') throw new Error('Facebook could not be asked; trying again');
    },
  };
}
