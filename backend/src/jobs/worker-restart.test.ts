import { Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { TENANT_FILTER } from '../db/tenant-filter.js';
import { createLogger } from '../logger.js';
import { delivery, entry, textMessage } from '../testing/messenger-fixtures.js';
import { WebhookEvent } from '../modules/facebook/webhook-event.entity.js';
import { createRedis } from '../redis.js';
import {
  connectFacebookPage,
  postDelivery,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../testing/test-api.js';

// A database of its own: no other file's worker may process this file's deliveries.
const api = useTestApi({}, { ownDatabase: true });
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('a worker that replaces a dead one', () => {
  it('resumes stored work within 5 s, though the dead one still holds the wake-ups', async () => {
    const { config } = api;
    const redis = createRedis(config, 'dead-worker', createLogger(config));
    cleanups.push(async () => redis.disconnect());
    // A worker that takes the inbound wake-ups and dies with them (its locks stay ~30 s).
    const dying = new Worker('inbound-drain', () => new Promise<void>(() => {}), {
      connection: redis.duplicate(),
      prefix: config.redisPrefix,
      concurrency: 10,
    });
    const drains = new Queue('inbound-drain', { connection: redis, prefix: config.redisPrefix });
    cleanups.push(() => drains.close());

    const admin = await signUpTenant(api);
    const connected = await connectFacebookPage(api, admin.token);
    const psid = `7100${Date.now()}`;
    const response = await postDelivery(
      api,
      admin.tenant.key,
      delivery(
        entry(
          connected.page.pageId,
          textMessage({ pageId: connected.page.pageId, psid, text: 'anyone there?' }),
        ),
      ),
      connected.appSecret,
    );
    expect(response.status).toBe(200);
    await expect.poll(() => drains.getActiveCount(), { timeout: 5_000 }).toBeGreaterThan(0);
    await dying.close(true); // SIGKILL-like: its jobs stay active until found stalled

    const worker = await startTestWorker(api);
    cleanups.push(() => worker.stop());
    const pending = () =>
      api.orm.em
        .fork()
        .count(
          WebhookEvent,
          { tenant: admin.tenant.id, status: 'pending' },
          { filters: { [TENANT_FILTER]: false } },
        );
    await expect.poll(pending, { timeout: 5_000 }).toBe(0);
  });
});
