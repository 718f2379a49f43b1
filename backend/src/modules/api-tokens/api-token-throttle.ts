import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../errors.js';
import { createLimiter } from '../../rate-limiter.js';

/** 429 RATE_LIMITED: an API token sent more than API_TOKEN_REQUESTS_PER_MINUTE requests. */
export class ApiTokenRateLimitedError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(
      'RATE_LIMITED',
      `Too many requests with this API token. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      seconds,
    );
  }
}

/** Bounds the requests each API token makes per minute, across every api instance. */
export class ApiTokenThrottle {
  private readonly perToken: RateLimiterRedis;

  constructor(redis: Redis, redisPrefix: string, requestsPerMinute: number) {
    this.perToken = createLimiter(redis, `${redisPrefix}:api-tokens:requests`, {
      points: requestsPerMinute,
      durationSeconds: 60,
    });
  }

  /** Counts one request with the token, or throws RATE_LIMITED (429, Retry-After). */
  async count(tokenId: string): Promise<void> {
    try {
      await this.perToken.consume(tokenId);
    } catch (refusal) {
      // Anything but a RateLimiterRes is a store failure the insurance limiter could not absorb.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      throw new ApiTokenRateLimitedError(refusal.msBeforeNext / 1000);
    }
  }
}
