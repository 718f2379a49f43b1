import type { JobProcessors } from '../../jobs/job-map.js';
import type { Logger } from '../../logger.js';
import type { AutoCloseSweeper } from './auto-close-sweeper.js';
import type { QueueNoticesService } from './queue-notices.service.js';
import type { RoutingSweeper } from './routing-sweeper.js';
import type { RoutingService } from './routing.service.js';

/**
 * The queue's jobs: dispatch, its sweep, automatic close, first-response timeouts, the
 * waiting notice.
 */
export function routingJobs(deps: {
  routing: RoutingService;
  sweeper: RoutingSweeper;
  autoClose: AutoCloseSweeper;
  queueNotices: QueueNoticesService;
  logger: Logger;
}): Pick<
  JobProcessors,
  | 'routing-dispatch'
  | 'routing-sweep'
  | 'auto-close-sweep'
  | 'first-response-check'
  | 'queue-notice'
> {
  const { routing, sweeper, autoClose, queueNotices, logger } = deps;
  return {
    'routing-dispatch': async ({ tenantId }) => {
      await routing.dispatch(tenantId);
    },
    'routing-sweep': async () => {
      const swept = await sweeper.sweep();
      if (swept.wentOffline + swept.requeued > 0) logger.info(swept, 'swept the queue');
    },
    'auto-close-sweep': async () => {
      const closed = await autoClose.sweep();
      if (closed > 0) logger.info({ closed }, 'closed silent chats');
    },
    'first-response-check': async ({ conversationId, assignedAt }) => {
      if (await routing.expireFirstResponse(conversationId, assignedAt))
        logger.info({ conversationId }, 'first response timed out; back to the queue');
    },
    'queue-notice': async ({ conversationId }) => {
      await queueNotices.prepare(conversationId);
    },
  };
}
