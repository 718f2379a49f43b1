import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { rateLimitKeyOf } from './client-address.js';
import { createLimiter } from '../../rate-limiter.js';
import { consumeAll } from './login-throttle.js';

/**
 * Bounds how many businesses one address can create (SIGNUP_LIMIT_PER_HOUR): a
 * sign-up costs a password hash and rows that live until deleted. Every attempt that passes
 * validation counts, a taken email too (so sign-up cannot be used to test emails in bulk).
 */
export class SignUpThrottle {
  private readonly byAddress: RateLimiterRedis;

  constructor(redis: Redis, redisPrefix: string, signUpsPerHour: number) {
    this.byAddress = createLimiter(redis, `${redisPrefix}:sign-ups:address`, {
      points: signUpsPerHour,
      durationSeconds: 60 * 60,
    });
  }

  /** Counts a sign-up from `clientAddress`, or throws TOO_MANY_ATTEMPTS (429). */
  async count(clientAddress: string): Promise<void> {
    await consumeAll([{ limiter: this.byAddress, key: rateLimitKeyOf(clientAddress) }], 'sign-ups');
  }
}
