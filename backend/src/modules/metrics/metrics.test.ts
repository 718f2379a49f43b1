import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueues } from '../../jobs/job-queues.js';
import { createLogger } from '../../logger.js';
import { createRedis } from '../../redis.js';
import {
  connectFacebookPage,
  createOperator,
  postDelivery,
  signUpTenant,
  startTestApi,
  useTestApi,
  useTestWorker,
  type TestApi,
} from '../../testing/test-api.js';
import { until } from '../../testing/until.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import type { FakePage } from '../fake-graph/fake-graph.js';
import { delivery, entry, textMessage } from '../../testing/messenger-fixtures.js';
import { parseExposition, sumOf, type Sample } from './prometheus-exposition.js';
import { WORKER_SNAPSHOT_INTERVAL_MS } from './worker-metrics-snapshots.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describe('GET /metrics without METRICS_TOKEN', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.stop());

  it('is not served at all: 404, whatever token is sent', async () => {
    expect((await api.request('GET', '/metrics')).status).toBe(404);
    const withToken = await api.request('GET', '/metrics', { token: METRICS_TOKEN });
    expect(withToken.status).toBe(404);
    expect(withToken.body.error.code).toBe('NOT_FOUND');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  // A database of its own: the queue figure counts every tenant's waiting conversations.
  const api = useTestApi({ METRICS_TOKEN }, { ownDatabase: true });
  useTestWorker(api);

  const scrape = async (): Promise<Sample[]> => {
    const response = await api.request('GET', '/metrics', { token: METRICS_TOKEN });
    expect(response.status).toBe(200);
    return parseExposition(response.body as string);
  };

  it('answers 401 without the bearer token or with another one', async () => {
    const without = await api.request('GET', '/metrics');
    expect(without.status).toBe(401);
    expect(without.body.error.code).toBe('UNAUTHENTICATED');
    expect((await api.request('GET', '/metrics', { token: `${METRICS_TOKEN}x` })).status).toBe(401);
    const sessionToken = (await signUpTenant(api)).token;
    expect((await api.request('GET', '/metrics', { token: sessionToken })).status).toBe(401);
  });

  it('serves valid exposition text with process metrics of the api and the worker', async () => {
    const response = await api.request('GET', '/metrics', { token: METRICS_TOKEN });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(response.body as string);
    expect(sumOf(samples, 'omni_process_cpu_user_seconds_total', { role: 'api' })).toBeGreaterThan(
      0,
    );
    expect(sumOf(samples, 'omni_process_start_time_seconds', { role: 'api' })).toBeGreaterThan(0);
    const workerReported = await until(scrape, (all) =>
      all.some((sample) => sample.labels['role'] === 'worker'),
    );
    expect(
      sumOf(workerReported, 'omni_process_resident_memory_bytes', { role: 'worker' }),
    ).toBeGreaterThan(0);
    expect(
      sumOf(workerReported, 'omni_process_start_time_seconds', { role: 'worker' }),
    ).toBeGreaterThan(0);
    // Every queue's backlog is there, read from BullMQ at scrape time.
    const backlogQueues = new Set(
      samples.filter((s) => s.name === 'omni_job_backlog').map((s) => s.labels['queue']),
    );
    expect(backlogQueues).toContain('outbound-send');
    expect(backlogQueues).toContain('inbound-drain');
  });

  it(
    'counts a webhook delivery from its arrival to the reply sent for it',
    { timeout: 30_000 },
    async () => {
      const before = await scrape();
      const admin = await signUpTenant(api);
      const connected = await connectFacebookPage(api, admin.token);
      const pageId = connected.page.pageId;
      const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
      const operator = await createOperator(api, admin.token);
      await api.request('PUT', '/api/me/status', {
        token: operator.token,
        body: { status: 'online' },
      });

      const body = delivery(
        entry(pageId, textMessage({ psid: visitor.psid, pageId, text: 'Hi?' })),
      );
      expect((await postDelivery(api, admin.tenant.key, body, connected.appSecret)).status).toBe(
        200,
      );
      const unsigned = await api.request('POST', `/api/webhooks/facebook/${admin.tenant.key}`, {
        rawBody: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      expect(unsigned.status).toBe(401);

      const conversation = await until(
        async () =>
          (await api.request('GET', '/api/conversations', { token: admin.token })).body.items[0],
        (found) => found?.status === 'assigned',
      );
      expect(conversation?.status).toBe('assigned');
      const reply = await api.request('POST', `/api/conversations/${conversation.id}/messages`, {
        token: operator.token,
        body: { text: 'Hello!' },
      });
      expect(reply.status).toBe(202);
      await until(
        () => api.fakeGraph.sentMessages(pageId).length,
        (count) => count > 0,
      );

      // The worker's figures arrive with its next snapshot.
      const moved = (after: Sample[], name: string, labels: Record<string, string> = {}) =>
        sumOf(after, name, labels) - sumOf(before, name, labels);
      let after = await scrape();
      const deadline = Date.now() + 3 * WORKER_SNAPSHOT_INTERVAL_MS;
      while (moved(after, 'omni_send_api_results_total') < 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        after = await scrape();
      }

      expect(moved(after, 'omni_webhook_deliveries_received_total', { role: 'api' })).toBe(2);
      expect(moved(after, 'omni_webhook_deliveries_verified_total', { outcome: 'stored' })).toBe(1);
      expect(
        moved(after, 'omni_webhook_deliveries_refused_total', { reason: 'SIGNATURE_MISSING' }),
      ).toBe(1);
      expect(
        moved(after, 'omni_webhook_deliveries_processed_total', { role: 'worker' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        moved(after, 'omni_send_api_results_total', {
          result: 'sent',
          code: 'none',
          role: 'worker',
        }),
      ).toBe(1);
      expect(
        moved(after, 'omni_dispatch_latency_seconds_count', { role: 'worker' }),
      ).toBeGreaterThan(0);
      expect(
        moved(after, 'omni_job_duration_seconds_count', { queue: 'outbound-send' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        moved(after, 'omni_http_request_duration_seconds_count', {
          route: '/api/webhooks/facebook/:tenantKey',
          method: 'POST',
          status: '200',
        }),
      ).toBe(1);
      expect(sumOf(after, 'omni_queue_waiting_conversations')).toBeGreaterThanOrEqual(0);
      expect(after.some((s) => s.name === 'omni_queue_waiting_conversations')).toBe(true);

      // No tenant, page, conversation or visitor ever becomes a label.
      const text = (await api.request('GET', '/metrics', { token: METRICS_TOKEN })).body as string;
      for (const id of [admin.tenant.id, admin.tenant.key, pageId, conversation.id, visitor.psid])
        expect(text).not.toContain(id);
    },
  );

  it('reads the waiting conversations and the job backlog when it is scraped', async () => {
    const before = await scrape();
    const admin = await signUpTenant(api);
    const connected = await connectFacebookPage(api, admin.token);
    const pageId = connected.page.pageId;
    const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
    // No operator is online: the conversation waits in the queue.
    const body = delivery(entry(pageId, textMessage({ psid: visitor.psid, pageId, text: 'Hi' })));
    expect((await postDelivery(api, admin.tenant.key, body, connected.appSecret)).status).toBe(200);
    const waiting = await until(
      async () =>
        (await api.request('GET', '/api/conversations', { token: admin.token })).body.items[0],
      (found) => found?.status === 'queued',
    );
    expect(waiting?.status).toBe('queued');
    const logger = createLogger(api.config);
    const redis = createRedis(api.config, 'test', logger);
    const queues = new JobQueues(redis, api.config.redisPrefix, logger);
    try {
      await queues.enqueue(
        'queue-notice',
        { conversationId: randomUUID() },
        { delay: 600_000, jobId: `metrics-test-${randomUUID()}` },
      );
    } finally {
      await queues.close();
      redis.disconnect();
    }

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) =>
      sumOf(after, name, labels) - sumOf(before, name, labels);
    expect(moved('omni_queue_waiting_conversations')).toBe(1);
    expect(moved('omni_job_backlog', { queue: 'queue-notice', state: 'delayed' })).toBe(1);
  });
});
