import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createRedis } from '../redis.js';
import { startTestApi, startTestWorker, type TestApi } from '../testing/test-api.js';
import { deleteRedisKeys } from '../testing/test-environment.js';
import { JOB_SCHEDULES } from './job-schedules.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A test api with a Redis prefix of its own, so that wiping it touches no other test. */
async function startApiWithOwnPrefix(label: string): Promise<TestApi> {
  const api = await startTestApi({ REDIS_PREFIX: `omni-test-${label}-${Date.now()}` });
  cleanups.push(async () => {
    await api.stop();
    await deleteRedisKeys(api.config.redisUrl, api.config.redisPrefix);
  });
  return api;
}

/** The names of the schedules present in Redis under the api's prefix. */
async function schedulesInRedis(api: TestApi): Promise<string[]> {
  const { config } = api;
  const redis = createRedis(config, 'schedules-probe', createLogger(config));
  try {
    const present = await Promise.all(
      Object.keys(JOB_SCHEDULES).map(async (name) => {
        const queue = new Queue(name, { connection: redis, prefix: config.redisPrefix });
        const scheduler = await queue.getJobScheduler(`${name}-schedule`);
        await queue.close();
        return scheduler ? name : null;
      }),
    );
    return present.filter((name) => name !== null).sort();
  } finally {
    redis.disconnect();
  }
}

describe('the worker process', () => {
  it('consumes jobs and reports in, so /health sees a worker', async () => {
    const api = await startApiWithOwnPrefix('worker');
    expect((await api.request('GET', '/health')).body.worker).toBe('missing');

    const worker = await startTestWorker(api);
    cleanups.push(() => worker.stop());

    await expect
      .poll(async () => (await api.request('GET', '/health')).body.worker, { timeout: 10_000 })
      .toBe('ok');
  });

  it('puts its schedules back when Redis comes back empty, and /health is ok again', async () => {
    const api = await startApiWithOwnPrefix('wiped');
    const worker = await startTestWorker(api);
    cleanups.push(() => worker.stop());
    const everySchedule = Object.keys(JOB_SCHEDULES).sort();
    expect(await schedulesInRedis(api)).toEqual(everySchedule);
    await expect
      .poll(async () => (await api.request('GET', '/health')).body, { timeout: 10_000 })
      .toMatchObject({ status: 'ok', worker: 'ok' });

    await deleteRedisKeys(api.config.redisUrl, api.config.redisPrefix);
    expect(await schedulesInRedis(api)).toEqual([]);

    // Checked every 10 s by every worker; the heartbeat schedule runs as soon as it is back.
    await expect.poll(() => schedulesInRedis(api), { timeout: 15_000 }).toEqual(everySchedule);
    await expect
      .poll(async () => (await api.request('GET', '/health')).body, { timeout: 5_000 })
      .toMatchObject({ status: 'ok', worker: 'ok' });
  });
});
