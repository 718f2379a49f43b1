import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import type { OutboundWebhookDelivery, WebhookSubscription } from '@/api/types';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { useWebhookSubscriptionsStore } from './webhook-subscriptions';

function makeSubscription(overrides: Partial<WebhookSubscription> = {}): WebhookSubscription {
  return {
    id: 'w1',
    url: 'https://crm.example.com/omni',
    events: ['message.created'],
    enabled: true,
    disabledAt: null,
    failingSince: null,
    createdAt: '2026-12-01T09:00:00.000Z',
    ...overrides,
  };
}

function makeDelivery(overrides: Partial<OutboundWebhookDelivery> = {}): OutboundWebhookDelivery {
  return {
    id: 'd1',
    event: 'message.created',
    status: 'failed',
    attempts: 31,
    responseStatus: 503,
    lastError: 'The endpoint answered HTTP 503.',
    nextAttemptAt: null,
    deliveredAt: null,
    createdAt: '2026-12-01T09:00:00.000Z',
    ...overrides,
  };
}

describe('webhook subscriptions store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('hands a new secret to the caller once and keeps only what the list shows', async () => {
    const secret = 'whsec_SECRETSECRETSECRETSECRETSECRETSE';
    stubFetch({
      'GET /api/webhook-subscriptions': jsonResponse(200, {
        items: [makeSubscription({ id: 'old' })],
      }),
      'POST /api/webhook-subscriptions': jsonResponse(201, {
        ...makeSubscription({ id: 'new' }),
        secret,
      }),
    });
    const store = useWebhookSubscriptionsStore();
    await store.fetchAll();
    const created = await store.create({ url: 'https://crm.example.com/omni', events: [] });

    expect(created.secret).toBe(secret);
    expect(store.items.map((item) => item.id)).toEqual(['new', 'old']);
    expect(JSON.stringify(store.$state)).not.toContain(secret);
  });

  it("retries a delivery of the log it shows, and shows it pending with the server's answer", async () => {
    const { requests } = stubFetch({
      'GET /api/webhook-subscriptions/w1/deliveries': jsonResponse(200, {
        items: [makeDelivery(), makeDelivery({ id: 'd2', status: 'delivered' })],
      }),
      'POST /api/webhook-subscriptions/w1/deliveries/d1/retry': jsonResponse(
        200,
        makeDelivery({ status: 'pending' }),
      ),
    });
    const store = useWebhookSubscriptionsStore();
    await store.openDeliveries('w1');
    await store.retry('d1');

    expect(requests.map((request) => `${request.method} ${request.path}`)).toContain(
      'POST /api/webhook-subscriptions/w1/deliveries/d1/retry',
    );
    expect(store.deliveries.map((item) => [item.id, item.status])).toEqual([
      ['d1', 'pending'],
      ['d2', 'delivered'],
    ]);
  });
});
