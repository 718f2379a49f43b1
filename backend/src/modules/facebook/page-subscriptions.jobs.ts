import type { JobProcessors } from '../../jobs/job-map.js';
import type { Logger } from '../../logger.js';
import type { PageSubscriptionsService } from './page-subscriptions.service.js';

/** The periodic check that every active page is still subscribed to the app. */
export function pageSubscriptionsJobs(
  subscriptions: PageSubscriptionsService,
  logger: Logger,
): Pick<JobProcessors, 'page-subscription-check'> {
  return {
    'page-subscription-check': async () => {
      const { checked, resubscribed } = await subscriptions.checkAll();
      logger.info({ checked, resubscribed }, 'checked page subscriptions');
    },
  };
}
