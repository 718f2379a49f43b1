import { describe, expect, inject, it } from 'vitest';
import { startTestApi, startTestWorker, useTestApi } from '../../testing/test-api.js';
import { TcpProxy } from '../../testing/tcp-proxy.js';

describe('/health', () => {
  // A prefix of its own: no other test file's worker reports in here.
  const api = useTestApi({ REDIS_PREFIX: `omni-test-health-${Date.now()}` });

  it('reports PostgreSQL, Redis and a worker answering, and a dead worker within 15 s', async () => {
    const alone = await api.request('GET', '/health');
    // Without a worker the api still serves (200), but nothing stored is processed.
    expect(alone.status).toBe(200);
    expect(alone.body).toEqual({ status: 'degraded', db: 'ok', redis: 'ok', worker: 'missing' });

    const worker = await startTestWorker(api);
    try {
      await expect
        .poll(async () => (await api.request('GET', '/health')).body, { timeout: 10_000 })
        .toEqual({ status: 'ok', db: 'ok', redis: 'ok', worker: 'ok' });
    } finally {
      await worker.stop();
    }
    // Its last heartbeat lasts 15 s (plus one probe's interval for the poll).
    await expect
      .poll(async () => (await api.request('GET', '/health')).body, {
        timeout: 15_500,
        interval: 250,
      })
      .toEqual({ status: 'degraded', db: 'ok', redis: 'ok', worker: 'missing' });
  });
});

/**
 * Puts a cuttable proxy in front of one dependency, starts the api through it, and checks
 * /health before, during and after an outage.
 */
async function expectOutageReported(options: {
  dependencyUrl: string;
  defaultPort: number;
  variable: 'DATABASE_URL' | 'REDIS_URL';
  expectedError: object;
}): Promise<void> {
  const url = new URL(options.dependencyUrl);
  const proxy = new TcpProxy(url.hostname, Number(url.port || options.defaultPort));
  url.hostname = '127.0.0.1';
  url.port = String(await proxy.start());
  const api = await startTestApi({ [options.variable]: url.toString() });
  try {
    expect((await api.request('GET', '/health')).status).toBe(200);
    await proxy.cut();
    const down = await api.request('GET', '/health');
    expect(down.status).toBe(503);
    expect(down.body.error).toMatchObject(options.expectedError);
    await proxy.restore();
    await expect
      .poll(async () => (await api.request('GET', '/health')).status, { timeout: 10_000 })
      .toBe(200);
  } finally {
    await api.stop();
    await proxy.cut();
  }
}

describe('/health while a dependency goes away and comes back', () => {
  it('names Redis when Redis stops answering, and recovers', () =>
    expectOutageReported({
      dependencyUrl: inject('redisUrl'),
      defaultPort: 6379,
      variable: 'REDIS_URL',
      expectedError: {
        code: 'UNHEALTHY',
        message: 'Redis is not answering.',
        details: { db: 'ok', redis: 'down' },
      },
    }));

  it('names PostgreSQL when the database stops answering, and recovers', () =>
    expectOutageReported({
      dependencyUrl: inject('databaseUrl'),
      defaultPort: 5432,
      variable: 'DATABASE_URL',
      expectedError: {
        code: 'UNHEALTHY',
        message: 'PostgreSQL is not answering.',
        details: { db: 'down', redis: 'ok' },
      },
    }));
});
