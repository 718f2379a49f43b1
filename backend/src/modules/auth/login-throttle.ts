import type { Redis } from 'ioredis';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { AppError } from '../../errors.js';

const WINDOW_SECONDS = 15 * 60;
/** Failed sign-ins allowed per email, then per client address, within the window. */
const FAILURES_PER_EMAIL = 5;
const FAILURES_PER_ADDRESS = 50;

export class TooManyAttemptsError extends AppError {
  constructor(retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(
      'TOO_MANY_ATTEMPTS',
      `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      429,
      { retryAfterSeconds },
    );
  }
}

/**
 * Slows password guessing: counts failed sign-ins per email and per client address in Redis
 * (so every api instance shares the count) and refuses further attempts for a while. A
 * successful sign-in clears the email's count. If Redis is down, counting falls back to memory.
 */
export class LoginThrottle {
  private readonly byEmail: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;

  constructor(redis: Redis, redisPrefix: string) {
    const limiter = (name: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${redisPrefix}:login-failures:${name}`,
        points,
        duration: WINDOW_SECONDS,
        insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SECONDS }),
      });
    this.byEmail = limiter('email', FAILURES_PER_EMAIL);
    this.byAddress = limiter('address', FAILURES_PER_ADDRESS);
  }

  async assertAllowed(email: string, clientAddress: string): Promise<void> {
    const [emailState, addressState] = await Promise.all([
      this.byEmail.get(email),
      this.byAddress.get(clientAddress),
    ]);
    const retryAfterMs = Math.max(
      msUntilAllowed(emailState, FAILURES_PER_EMAIL),
      msUntilAllowed(addressState, FAILURES_PER_ADDRESS),
    );
    if (retryAfterMs > 0) throw new TooManyAttemptsError(Math.ceil(retryAfterMs / 1000));
  }

  async recordFailure(email: string, clientAddress: string): Promise<void> {
    // consume() rejects once the limit is passed; the next assertAllowed() reports it.
    await Promise.allSettled([this.byEmail.consume(email), this.byAddress.consume(clientAddress)]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }
}

function msUntilAllowed(state: RateLimiterRes | null, limit: number): number {
  return state && state.consumedPoints >= limit ? state.msBeforeNext : 0;
}
