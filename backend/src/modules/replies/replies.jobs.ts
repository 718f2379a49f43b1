import type { JobProcessors } from '../../jobs/job-map.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import type { Logger } from '../../logger.js';
import type { OutboundSender } from './outbound-sender.js';
import type { OutboundSweeper } from './outbound-sweeper.js';
import type { SenderActionSender } from './sender-action-sender.js';

/** Replies to the Send API: each send with its retry policy, the sweep, sender actions. */
export function repliesJobs(deps: {
  sender: OutboundSender;
  sweeper: OutboundSweeper;
  senderActions: SenderActionSender;
  queues: JobQueues;
  logger: Logger;
}): Pick<JobProcessors, 'outbound-send' | 'outbound-sweep' | 'sender-action'> {
  const { sender, sweeper, senderActions, queues, logger } = deps;
  return {
    'outbound-send': async ({ messageId }) => {
      const outcome = await sender.send(messageId);
      if (outcome.kind === 'check-later') {
        // The echo of a call whose answer was lost may still come; look again then.
        await queues.enqueue(
          'outbound-send',
          { messageId },
          { delay: outcome.delayMs, jobId: `${messageId}-check-${Date.now()}` },
        );
      }
      if (outcome.kind === 'retry') throw outcome.error; // BullMQ backs off and retries
    },
    'outbound-sweep': async () => {
      const count = await sweeper.sweep();
      if (count > 0) logger.info({ count }, 're-enqueued replies that were never sent');
    },
    'sender-action': async ({ conversationId, action }) => {
      // Best effort: a refused "typing…" is not worth a retry, nor an error in the logs.
      await senderActions
        .send(conversationId, action)
        .catch((error: unknown) =>
          logger.debug({ err: error, conversationId, action }, 'sender action refused'),
        );
    },
  };
}
