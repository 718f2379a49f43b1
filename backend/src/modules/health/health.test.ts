import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/test-api.js';
import { TcpProxy } from '../../test/tcp-proxy.js';

describe('/health', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.stop());

  it('reports PostgreSQL and Redis answering', async () => {
    const response = await api.request('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', db: 'ok', redis: 'ok' });
  });
});

describe('/health while a dependency goes away and comes back', () => {
  it('names Redis when Redis stops answering, and recovers', async () => {
    const redisUrl = new URL(inject('redisUrl'));
    const proxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    const port = await proxy.start();
    const api = await startTestApi({ REDIS_URL: `redis://127.0.0.1:${port}` });
    try {
      expect((await api.request('GET', '/health')).status).toBe(200);
      await proxy.cut();
      const down = await api.request('GET', '/health');
      expect(down.status).toBe(503);
      expect(down.body.error).toMatchObject({
        code: 'UNHEALTHY',
        message: 'Redis is not answering.',
        details: { db: 'ok', redis: 'down' },
      });
      await proxy.restore();
      await expect
        .poll(async () => (await api.request('GET', '/health')).status, { timeout: 10_000 })
        .toBe(200);
    } finally {
      await api.stop();
      await proxy.cut();
    }
  });

  it('names PostgreSQL when the database stops answering, and recovers', async () => {
    const databaseUrl = new URL(inject('databaseUrl'));
    const proxy = new TcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
    databaseUrl.hostname = '127.0.0.1';
    databaseUrl.port = String(await proxy.start());
    const api = await startTestApi({ DATABASE_URL: databaseUrl.toString() });
    try {
      expect((await api.request('GET', '/health')).status).toBe(200);
      await proxy.cut();
      const down = await api.request('GET', '/health');
      expect(down.status).toBe(503);
      expect(down.body.error).toMatchObject({
        message: 'PostgreSQL is not answering.',
        details: { db: 'down', redis: 'ok' },
      });
      await proxy.restore();
      await expect
        .poll(async () => (await api.request('GET', '/health')).status, { timeout: 10_000 })
        .toBe(200);
    } finally {
      await api.stop();
      await proxy.cut();
    }
  });
});
