import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

/** How many points a limiter allows per window. */
export type Limit = { points: number; durationSeconds: number };

/** A limiter shared by every api instance through Redis; in memory while Redis is away. */
export function createLimiter(
  redis: Redis,
  keyPrefix: string,
  { points, durationSeconds }: Limit,
): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: durationSeconds,
    insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds }),
    // The shared connection queues commands while Redis is away (BullMQ needs that): count
    // in memory at once rather than hold every request until it is back.
    rejectIfRedisNotReady: true,
  });
}
