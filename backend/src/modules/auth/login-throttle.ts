import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { TooManyAttemptsError } from '../../errors.js';
import { createLimiter } from '../../rate-limiter.js';
import { rateLimitKeyOf } from './client-address.js';

/**
 * The limits, each counting attempts whose password turned out wrong (an attempt is counted
 * before its password is checked and given back when it was right):
 *  - per email and address: 5 in 15 minutes. What stops a guesser, without locking the
 *    account: the real user, from another address, is not affected.
 *  - per address: 50 in 15 minutes, across all emails (one address spraying many accounts).
 *  - per email from addresses it never signed in from: 100 an hour. Bounds guessing spread
 *    over many addresses (a botnet, an IPv6 range) to 2,400 a day, whatever their number.
 *    Addresses the account signed in from during the last 30 days are exempt, so a stranger
 *    who exhausts it cannot lock the real user out of their usual places; only a first
 *    sign-in from somewhere new may have to wait. Demo accounts skip it altogether: their
 *    passwords are public on the login page, and the demo must keep working for reviewers.
 */
export const LOGIN_LIMITS = {
  perEmailAndAddress: { points: 5, durationSeconds: 15 * 60 },
  perAddress: { points: 50, durationSeconds: 15 * 60 },
  perEmailFromNewAddresses: { points: 100, durationSeconds: 60 * 60 },
} as const;

const KNOWN_ADDRESS_SECONDS = 30 * 24 * 60 * 60;

/**
 * Consumes one point of each counter, atomically per counter. If any refuses, the others get
 * their point back (a refused attempt is not made, so it counts nowhere) and TOO_MANY_ATTEMPTS
 * is thrown with the longest wait.
 */
export async function consumeAll(
  counters: { limiter: RateLimiterAbstract; key: string }[],
  what: string,
): Promise<RateLimiterRes[]> {
  const outcomes = await Promise.allSettled(
    counters.map(({ limiter, key }) => limiter.consume(key)),
  );
  const refusals = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
  );
  if (refusals.length === 0) {
    return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<RateLimiterRes>).value);
  }
  await Promise.allSettled(
    counters.map(({ limiter, key }, index) =>
      outcomes[index]!.status === 'fulfilled' ? limiter.reward(key, 1) : null,
    ),
  );
  const waitMs = Math.max(
    0,
    ...refusals.map((refusal) => {
      // Anything but a RateLimiterRes is a store failure the insurance limiter could not absorb.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return refusal.msBeforeNext;
    }),
  );
  throw new TooManyAttemptsError(waitMs / 1000, what);
}

/**
 * One sign-in attempt that got past the limits: report a right password with `succeeded`;
 * `givenBack` uncounts an attempt that guessed nothing (a right password whose sign-in still
 * waits for its second factor) without taking its address as one the account signs in from.
 */
export type LoginAttempt = { succeeded: () => Promise<void>; givenBack: () => Promise<void> };

/**
 * Slows password guessing (see LOGIN_LIMITS). Counting happens before the password is
 * checked, atomically in Redis, so concurrent guesses cannot all slip through between a
 * read and a write: of 30 simultaneous guesses, 5 are checked and 25 refused.
 */
export class LoginThrottle {
  private readonly byEmailAndAddress: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;
  private readonly byEmailFromNewAddresses: RateLimiterRedis;

  constructor(
    private readonly redis: Redis,
    private readonly redisPrefix: string,
  ) {
    const prefix = `${redisPrefix}:login-attempts`;
    this.byEmailAndAddress = createLimiter(
      redis,
      `${prefix}:email-address`,
      LOGIN_LIMITS.perEmailAndAddress,
    );
    this.byAddress = createLimiter(redis, `${prefix}:address`, LOGIN_LIMITS.perAddress);
    this.byEmailFromNewAddresses = createLimiter(
      redis,
      `${prefix}:email-new-address`,
      LOGIN_LIMITS.perEmailFromNewAddresses,
    );
  }

  /**
   * Counts an attempt for `email` from `clientAddress`, or throws TOO_MANY_ATTEMPTS (429)
   * without it being made. Call before checking the password.
   */
  async begin(
    email: string,
    clientAddress: string,
    options: { isDemoAccount: boolean },
  ): Promise<LoginAttempt> {
    const address = rateLimitKeyOf(clientAddress);
    const emailKey = hashed(email);
    const emailAndAddress = { limiter: this.byEmailAndAddress, key: `${emailKey}:${address}` };
    const fromAddress = { limiter: this.byAddress, key: address };
    const counters = [emailAndAddress, fromAddress];
    const isGlobalCounted =
      !options.isDemoAccount && !(await this.isKnownAddress(emailKey, address));
    const fromNewAddress = { limiter: this.byEmailFromNewAddresses, key: emailKey };
    if (isGlobalCounted) counters.push(fromNewAddress);
    const [emailAndAddressState] = await consumeAll(counters, 'failed sign-ins');
    return {
      givenBack: async () => {
        await Promise.all(counters.map(({ limiter, key }) => limiter.reward(key, 1)));
      },
      succeeded: async () => {
        // Rewards rather than delete(), which would wait out a Redis outage.
        await Promise.all([
          this.byEmailAndAddress.reward(emailAndAddress.key, emailAndAddressState!.consumedPoints),
          this.byAddress.reward(address, 1),
          isGlobalCounted ? this.byEmailFromNewAddresses.reward(emailKey, 1) : null,
          this.rememberAddress(emailKey, address),
        ]);
      },
    };
  }

  private async isKnownAddress(emailKey: string, address: string): Promise<boolean> {
    // Redis down: treat it as new, the safe side (the insurance limiter still counts). Not
    // ready means its commands would wait for the reconnection, and the sign-in with them.
    if (!this.isRedisReady()) return false;
    const known = await this.redis.exists(this.knownAddressKey(emailKey, address)).catch(() => 0);
    return known === 1;
  }

  private async rememberAddress(emailKey: string, address: string): Promise<void> {
    if (!this.isRedisReady()) return; // only a convenience for the user: never hold a sign-in
    await this.redis
      .set(this.knownAddressKey(emailKey, address), '1', 'EX', KNOWN_ADDRESS_SECONDS)
      .catch(() => undefined);
  }

  private isRedisReady(): boolean {
    return this.redis.status === 'ready';
  }

  private knownAddressKey(emailKey: string, address: string): string {
    return `${this.redisPrefix}:login-known-address:${emailKey}:${address}`;
  }
}

/** Emails are personal data: Redis keys hold a digest of them instead. */
function hashed(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('base64url').slice(0, 22);
}
