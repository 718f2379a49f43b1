import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { createLimiter } from '../../rate-limiter.js';
import { rateLimitKeyOf } from './client-address.js';
import { consumeAll } from './login-throttle.js';

/**
 * Reset requests are limited like sign-ins (each one counts, whether the address exists or
 * not, so the answer tells nothing): per email and address and per address as LOGIN_LIMITS,
 * and per email 10 an hour, so nobody can flood someone's mailbox with reset mails.
 */
export const PASSWORD_RESET_LIMITS = {
  perEmailAndAddress: { points: 5, durationSeconds: 15 * 60 },
  perAddress: { points: 50, durationSeconds: 15 * 60 },
  perEmail: { points: 10, durationSeconds: 60 * 60 },
} as const;

export class PasswordResetThrottle {
  private readonly byEmailAndAddress: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;
  private readonly byEmail: RateLimiterRedis;

  constructor(redis: Redis, redisPrefix: string) {
    const prefix = `${redisPrefix}:password-resets`;
    this.byEmailAndAddress = createLimiter(
      redis,
      `${prefix}:email-address`,
      PASSWORD_RESET_LIMITS.perEmailAndAddress,
    );
    this.byAddress = createLimiter(redis, `${prefix}:address`, PASSWORD_RESET_LIMITS.perAddress);
    this.byEmail = createLimiter(redis, `${prefix}:email`, PASSWORD_RESET_LIMITS.perEmail);
  }

  /** Counts a request for `email` from `clientAddress`, or throws TOO_MANY_ATTEMPTS (429). */
  async count(email: string, clientAddress: string): Promise<void> {
    const address = rateLimitKeyOf(clientAddress);
    const emailKey = createHash('sha256').update(email.toLowerCase()).digest('hex');
    await consumeAll(
      [
        { limiter: this.byEmailAndAddress, key: `${emailKey}:${address}` },
        { limiter: this.byAddress, key: address },
        { limiter: this.byEmail, key: emailKey },
      ],
      'password-reset requests',
    );
  }
}
