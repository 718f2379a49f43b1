import type { JobProcessors } from '../../jobs/job-map.js';
import type { ThreadReturns } from './thread-handover.service.js';

/** Passing a closed conversation's thread back runs in the worker, retried while Facebook fails. */
export function handoverJobs(
  returns: Pick<ThreadReturns, 'passBack'>,
): Pick<JobProcessors, 'thread-control-pass'> {
  return {
    'thread-control-pass': ({ conversationId }) => returns.passBack(conversationId),
  };
}
