import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import type { WebhookDelivery } from '@/api/types';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { usePageDeliveriesStore } from './page-deliveries';

function makeDelivery(id: string, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id,
    receivedAt: '2026-12-03T10:00:00.000Z',
    status: 'processed',
    events: 1,
    error: null,
    messageIds: [`m-${id}`],
    messages: [{ id: `m-${id}`, conversationId: 'c1' }],
    diagnostics: [],
    attempts: 1,
    processedAt: '2026-12-03T10:00:01.000Z',
    canReplay: true,
    ...overrides,
  };
}

const BASE = '/api/channels/facebook/p1/deliveries';

describe('page deliveries store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it("loads a page's deliveries, then appends the next ones with the cursor", async () => {
    stubFetch({
      [`GET ${BASE}`]: jsonResponse(200, {
        items: [makeDelivery('3'), makeDelivery('2')],
        nextCursor: 'next one',
      }),
      [`GET ${BASE}?cursor=next%20one`]: jsonResponse(200, {
        items: [makeDelivery('1')],
        nextCursor: null,
      }),
    });
    const store = usePageDeliveriesStore();
    await store.open('p1');
    expect(store.items.map((item) => item.id)).toEqual(['3', '2']);
    expect(store.hasLoaded).toBe(true);
    await store.loadMore();
    expect(store.items.map((item) => item.id)).toEqual(['3', '2', '1']);
    expect(store.nextCursor).toBeNull();
  });

  it('replaces a replayed delivery with its state after the replay', async () => {
    const failed = makeDelivery('1', {
      status: 'failed',
      error: 'boom',
      messageIds: [],
      messages: [],
    });
    const { requests } = stubFetch({
      [`GET ${BASE}`]: jsonResponse(200, { items: [makeDelivery('2'), failed], nextCursor: null }),
      [`POST ${BASE}/1/replay`]: jsonResponse(200, {
        replayed: true,
        newMessages: 1,
        delivery: makeDelivery('1'),
      }),
    });
    const store = usePageDeliveriesStore();
    await store.open('p1');
    const pending = store.replay('1');
    expect(store.uiFlags.replayingId).toBe('1');
    const result = await pending;
    expect(result?.newMessages).toBe(1);
    expect(store.uiFlags.replayingId).toBeNull();
    expect(store.items.map((item) => [item.id, item.status])).toEqual([
      ['2', 'processed'],
      ['1', 'processed'],
    ]);
    expect(requests.map((request) => `${request.method} ${request.path}`)).toContain(
      `POST ${BASE}/1/replay`,
    );
  });

  it("drops another page's deliveries at once when a different page opens", async () => {
    stubFetch({
      [`GET ${BASE}`]: jsonResponse(200, { items: [makeDelivery('1')], nextCursor: null }),
      'GET /api/channels/facebook/p2/deliveries': jsonResponse(200, {
        items: [makeDelivery('9')],
        nextCursor: null,
      }),
    });
    const store = usePageDeliveriesStore();
    await store.open('p1');
    const opening = store.open('p2');
    expect(store.items).toEqual([]);
    await opening;
    expect(store.items.map((item) => item.id)).toEqual(['9']);
  });
});
