import type { Redis } from 'ioredis';
import type { JobProcessors } from '../../jobs/job-map.js';
import { redisKeys } from '../../redis.js';

/**
 * A worker proves it consumes jobs every 5 s, and its proof lasts 15 s: /health shows a dead
 * worker at most 15 s after its last heartbeat, and a busy or briefly stalled one survives
 * two missed beats.
 */
export const HEARTBEAT_INTERVAL_MS = 5_000;

/** A heartbeat older than this means no worker is processing jobs. */
export const HEARTBEAT_TTL_SECONDS = 15;

/** The 'worker-heartbeat' job: proves to /health that some worker is consuming queues. */
export function heartbeatJobs(
  redis: Redis,
  prefix: string,
): Pick<JobProcessors, 'worker-heartbeat'> {
  return {
    'worker-heartbeat': async () => {
      await redis.set(
        redisKeys.workerHeartbeat(prefix),
        new Date().toISOString(),
        'EX',
        HEARTBEAT_TTL_SECONDS,
      );
    },
  };
}
