import type { JobProcessors } from '../../jobs/job-map.js';
import type { Logger } from '../../logger.js';
import type { OutboundSender } from './outbound-sender.js';
import type { OutboundSweeper } from './outbound-sweeper.js';
import type { SenderActionSender } from './sender-action-sender.js';

/** Replies to the Send API: each send with its retry policy, the sweep, sender actions. */
export function repliesJobs(deps: {
  sender: OutboundSender;
  sweeper: OutboundSweeper;
  senderActions: SenderActionSender;
  logger: Logger;
}): Pick<JobProcessors, 'outbound-send' | 'outbound-sweep' | 'sender-action'> {
  const { sender, sweeper, senderActions, logger } = deps;
  return {
    'outbound-send': async ({ messageId }) => {
      const outcome = await sender.send(messageId);
      // An echo may still come for a call whose answer was lost, or an earlier reply of the
      // chat is still unsent: the same job looks again then (its id stays the message id, so
      // the sweep sees it queued and adds no other).
      if (outcome.kind === 'check-later') return { runAgainInMs: outcome.delayMs };
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
