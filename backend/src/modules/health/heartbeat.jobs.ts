import type { Redis } from 'ioredis';
import { redisKeys } from '../../redis.js';

export const HEARTBEAT_INTERVAL_MS = 15_000;

/** A heartbeat older than this means no worker is processing jobs. */
const HEARTBEAT_TTL_SECONDS = 60;

/** The 'worker-heartbeat' job: proves to /health that some worker is consuming queues. */
export function recordWorkerHeartbeat(redis: Redis, prefix: string) {
  return async (): Promise<void> => {
    await redis.set(
      redisKeys.workerHeartbeat(prefix),
      new Date().toISOString(),
      'EX',
      HEARTBEAT_TTL_SECONDS,
    );
  };
}
