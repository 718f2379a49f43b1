import { Queue } from 'bullmq';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createRedis } from '../redis.js';
import { loadConfig } from '../config.js';
import { deleteRedisKeys } from '../testing/test-environment.js';
import { JobQueues } from './job-queues.js';

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
