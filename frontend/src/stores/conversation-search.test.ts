import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { configureHttpAuth } from '@/api/http';
import { makeConversation } from '@/test/factories';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { SEARCH_DEBOUNCE_MS, useConversationSearchStore } from './conversation-search';

describe('conversation search store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('searches once typing pauses, not on every key', async () => {
    const hit = { ...makeConversation(), match: { messageId: 'm1', snippet: 'my parcel' } };
    const { fetchMock } = stubFetch({
      'GET /api/conversations?q=parcel': jsonResponse(200, { items: [hit], nextCursor: null }),
    });
    const store = useConversationSearchStore();

    for (const text of ['p', 'pa', 'par', 'parcel']) {
      store.query = text;
      await nextTick();
      await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS / 3);
    }
    expect(fetchMock).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(store.isActive).toBe(true);
    expect(store.results).toEqual([hit]);
  });

  it('sends the filters, the period as ISO instants, and leaves out a one-letter query', async () => {
    const { requests } = stubFetch({
      'GET /api/conversations?status=closed&operatorId=op1&pageId=page1&from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-02T00%3A00%3A00.000Z':
        jsonResponse(200, { items: [], nextCursor: null }),
    });
    const store = useConversationSearchStore();
    store.query = 'a';
    store.filters.status = 'closed';
    store.filters.operatorId = 'op1';
    store.filters.pageId = 'page1';
    store.filters.period = [Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2)];

    // A filter searches at once; the pending keystroke's timer is dropped, not sent again.
    await nextTick();
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS * 2);

    expect(requests).toHaveLength(1);
    expect(store.hasLoaded).toBe(true);
  });

  it('keeps the answer to the newest search when an older one arrives late', async () => {
    const old = makeConversation();
    const newer = makeConversation();
    let answerSlowly: (response: Response) => void = () => {};
    stubFetch({
      'GET /api/conversations?q=ol': () =>
        new Promise<Response>((resolve) => (answerSlowly = resolve)),
      'GET /api/conversations?q=olga': jsonResponse(200, { items: [newer], nextCursor: null }),
    });
    const store = useConversationSearchStore();

    store.query = 'ol';
    const slow = store.run();
    store.query = 'olga';
    await store.run();
    answerSlowly(jsonResponse(200, { items: [old], nextCursor: null }));
    await slow;

    expect(store.results.map((item) => item.id)).toEqual([newer.id]);
    expect(store.isLoading).toBe(false);
  });

  it('pages on with the cursor, and stops being active when cleared', async () => {
    const first = makeConversation();
    const second = makeConversation();
    stubFetch({
      'GET /api/conversations?q=walrus': jsonResponse(200, { items: [first], nextCursor: 'c2' }),
      'GET /api/conversations?q=walrus&cursor=c2': jsonResponse(200, {
        items: [first, second],
        nextCursor: null,
      }),
    });
    const store = useConversationSearchStore();
    store.query = 'walrus';
    await store.run();
    await store.loadMore();
    expect(store.results.map((item) => item.id)).toEqual([first.id, second.id]);

    store.reset();
    expect(store.isActive).toBe(false);
    expect(store.results).toEqual([]);
  });
});
