import { afterAll, describe, expect, it } from 'vitest';
import { initOrm } from '../db/orm.js';
import { createLogger } from '../logger.js';
import { createRedis } from '../redis.js';
import { startWorker } from '../server.js';
import { startTestApi } from '../test/test-api.js';
import { JobQueues } from './job-queues.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('the worker process', () => {
  it('consumes jobs and reports in, so /health sees a worker', async () => {
    const api = await startTestApi({ REDIS_PREFIX: `omni-test-worker-${Date.now()}` });
    cleanups.push(() => api.stop());
    expect((await api.request('GET', '/health')).body.worker).toBe('missing');

    const config = api.config;
    const logger = createLogger(config);
    const orm = await initOrm(config);
    const redis = createRedis(config, 'worker-test', logger);
    const queues = new JobQueues(redis, config.redisPrefix, logger);
    const worker = await startWorker({ config, orm, redis, queues, logger });
    cleanups.push(async () => {
      await worker.stop();
      await queues.close();
      redis.disconnect();
      await orm.close();
    });

    await expect
      .poll(async () => (await api.request('GET', '/health')).body.worker, { timeout: 10_000 })
      .toBe('ok');
  });
});
