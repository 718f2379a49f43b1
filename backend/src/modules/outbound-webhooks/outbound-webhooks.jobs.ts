import type { JobProcessors } from '../../jobs/job-map.js';
import type { Logger } from '../../logger.js';
import type { WebhookDeliverer } from './webhook-deliverer.js';
import type { WebhookDeliverySweeper } from './webhook-delivery-sweeper.js';

/** One delivery attempt per job run; the sweep that queues lost ones again. */
export function outboundWebhooksJobs(
  deliverer: WebhookDeliverer,
  sweeper: WebhookDeliverySweeper,
  logger: Logger,
): Pick<JobProcessors, 'webhook-delivery' | 'webhook-delivery-sweep'> {
  return {
    'webhook-delivery': ({ tenantId, deliveryId }) => deliverer.attempt(tenantId, deliveryId),
    'webhook-delivery-sweep': async () => {
      const requeued = await sweeper.sweep();
      if (requeued > 0) logger.warn({ requeued }, 'queued lost webhook deliveries again');
    },
  };
}
