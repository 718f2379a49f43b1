import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS, LoginThrottle } from './login-throttle.js';

describe('LoginThrottle without Redis', () => {
  // Like the api's shared connection: commands would wait for Redis rather than fail.
  const unreachable = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    retryStrategy: () => 200, // keeps trying, as in an outage
  });
  unreachable.on('error', () => {});
  afterAll(() => unreachable.disconnect());

  it('counts in memory at once instead of holding sign-ins until Redis is back', async () => {
    const throttle = new LoginThrottle(unreachable, 'test');
    const started = Date.now();
    for (let attempt = 0; attempt < LOGIN_LIMITS.perEmailAndAddress.points; attempt++) {
      await throttle.begin('ann@example.test', '203.0.113.9', { isDemoAccount: false });
    }
    await expect(
      throttle.begin('ann@example.test', '203.0.113.9', { isDemoAccount: false }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS', status: 429 });
    const attempt = await throttle.begin('ann@example.test', '198.51.100.1', {
      isDemoAccount: false,
    });
    await attempt.succeeded();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
