import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import type { Logger } from '../../logger.js';
import { WebhookRefusals } from './webhook-refusals.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

function refusals(limitPerMinute: number) {
  const clock = { now: 1_000_000 };
  const warn = vi.fn();
  const counter = new WebhookRefusals(
    redis,
    `${inject('redisPrefix')}-refusals-${randomBytes(4).toString('hex')}`,
    { warn } as unknown as Logger,
    limitPerMinute,
    () => clock.now,
  );
  return { counter, clock, warn };
}

const tenant = () => ({ id: 'tenant-id', key: randomBytes(18).toString('base64url') });

describe('webhook refusals', () => {
  it('throttle a key past its limit of unverifiable deliveries, not for what Facebook signed', async () => {
    const { counter } = refusals(3);
    const target = tenant();
    for (let refusal = 0; refusal < 10; refusal++) {
      expect(await counter.record(target, 'UNKNOWN_PAGE')).toBe(false);
    }
    expect(await counter.record(target, 'SIGNATURE_MISSING')).toBe(false);
    expect(await counter.record(target, 'SIGNATURE_INVALID')).toBe(false);
    expect(await counter.record(target, 'MALFORMED')).toBe(false);
    expect(counter.isThrottled(target.key)).toBe(false);
    expect(await counter.record(target, 'UNVERIFIABLE')).toBe(true);
    expect(counter.isThrottled(target.key)).toBe(true);
    expect(counter.retryAfterSeconds(target.key)).toBeGreaterThan(0);
    expect(counter.isThrottled(tenant().key)).toBe(false);
    expect(counter.counts.get('UNKNOWN_PAGE')).toBe(10);
  });

  it('warn at most once a minute per key, with how many were refused meanwhile', async () => {
    const { counter, clock, warn } = refusals(1_000);
    const target = tenant();
    for (let refusal = 0; refusal < 5; refusal++) await counter.record(target, 'SIGNATURE_INVALID');
    for (let refusal = 0; refusal < 5; refusal++) counter.recordUnknownTenant();
    expect(warn).toHaveBeenCalledTimes(2); // the key's first, and the unknown keys' first
    clock.now += 60_000;
    await counter.record(target, 'SIGNATURE_INVALID');
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn.mock.calls[2]![0]).toMatchObject({
      tenantId: 'tenant-id',
      refusedSinceLastWarning: 5,
    });
  });
});
