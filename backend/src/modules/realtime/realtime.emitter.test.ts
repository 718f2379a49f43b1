import { Redis } from 'ioredis';
import { describe, expect, inject, it, vi } from 'vitest';
import type { Logger } from '../../logger.js';
import { RealtimeEmitter } from './realtime.emitter.js';

describe('RealtimeEmitter', () => {
  it('logs an event Redis refuses (the worker stopping) rather than leaving a rejection unhandled', async () => {
    const redis = new Redis(inject('redisUrl'), { lazyConnect: true });
    await redis.connect();
    const warn = vi.fn();
    const emitter = new RealtimeEmitter(redis, `omni-test-emitter-${Date.now()}`, {
      warn,
    } as unknown as Logger);
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      redis.disconnect();
      // A snapshot event goes straight to Redis, as the queue figures do after a change.
      emitter.publish('tenant', 'tenant:tenant', 'queue.updated', {} as never);
      await expect.poll(() => warn.mock.calls.length).toBe(1);
      expect(warn.mock.calls[0]![1]).toBe('could not publish a realtime event');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
