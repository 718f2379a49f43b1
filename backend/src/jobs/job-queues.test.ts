import { Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createRedis } from '../redis.js';
import { loadConfig } from '../config.js';
import { deleteRedisKeys } from '../testing/test-environment.js';
import { JobQueues, SCHEDULED_RUNS_KEPT } from './job-queues.js';

const config = loadConfig({
  NODE_ENV: 'test',
  REDIS_URL: inject('redisUrl'),
  REDIS_PREFIX: `${inject('redisPrefix')}-job-queues-${Date.now()}`,
  LOG_LEVEL: 'silent',
});
const logger = createLogger(config);
const redis = createRedis(config, 'job-queues-test', logger);
const queues = new JobQueues(redis, config.redisPrefix, logger);
afterAll(async () => {
  await queues.close();
  redis.disconnect();
  await deleteRedisKeys(config.redisUrl, config.redisPrefix);
});

describe('one job per piece of work', () => {
  it('tells a missing job from a queued one, and queues one job however often it is asked', async () => {
    const messageId = `message-${Date.now()}`;
    expect(await queues.jobStatus('outbound-send', messageId)).toBe('missing');

    await queues.enqueueAgain('outbound-send', { messageId }, messageId);
    await queues.enqueueAgain('outbound-send', { messageId }, messageId);
    expect(await queues.jobStatus('outbound-send', messageId)).toBe('queued');
    const queue = new Queue('outbound-send', { connection: redis, prefix: config.redisPrefix });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });

    await queue.close();
  });
});

describe('scheduled sweeps', () => {
  it(`keep only their last ${SCHEDULED_RUNS_KEPT} runs in Redis, however long they run`, async () => {
    // A fast schedule stands in for hours of a sweep every few seconds.
    await queues.schedule('worker-heartbeat', {}, 20);
    const worker = new Worker('worker-heartbeat', async () => {}, {
      connection: redis.duplicate(),
      prefix: config.redisPrefix,
    });
    const queue = new Queue('worker-heartbeat', { connection: redis, prefix: config.redisPrefix });
    let runs = 0;
    worker.on('completed', () => (runs += 1));
    try {
      await expect
        .poll(() => runs, { timeout: 15_000, interval: 50 })
        .toBeGreaterThan(3 * SCHEDULED_RUNS_KEPT);
      expect(await queue.getJobCounts('completed')).toEqual({ completed: SCHEDULED_RUNS_KEPT });
    } finally {
      await queue.removeJobScheduler('worker-heartbeat-schedule');
      await worker.close();
      await queue.close();
    }
  });
});
