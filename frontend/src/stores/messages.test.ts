import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import { makeMessage } from '@/test/factories';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { isLocalMessage, useMessagesStore } from './messages';

describe('messages store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('loads the latest page, then older pages in front of it', async () => {
    const older = makeMessage({ createdAt: '2025-01-15T09:00:00.000Z' });
    const newer = makeMessage({ createdAt: '2025-01-15T10:00:00.000Z' });
    stubFetch({
      'GET /api/conversations/c1/messages': jsonResponse(200, {
        items: [newer],
        nextCursor: 'back',
      }),
      'GET /api/conversations/c1/messages?cursor=back': jsonResponse(200, {
        items: [older],
        nextCursor: null,
      }),
    });
    const store = useMessagesStore();

    await store.open('c1');
    await store.loadOlder('c1');

    expect(store.historyOf('c1')?.items.map((item) => item.id)).toEqual([older.id, newer.id]);
    expect(store.historyOf('c1')?.nextCursor).toBeNull();
  });

  it('opens around a message, pages forward to the present, and leaves no gap meanwhile', async () => {
    const anchor = makeMessage({ createdAt: '2025-01-15T09:00:00.000Z' });
    const later = makeMessage({ createdAt: '2025-01-15T09:30:00.000Z' });
    const live = makeMessage({ createdAt: '2025-01-15T11:00:00.000Z' });
    stubFetch({
      [`GET /api/conversations/c1/messages?around=${anchor.id}`]: jsonResponse(200, {
        items: [anchor],
        nextCursor: null,
        newerCursor: 'forward',
      }),
      'GET /api/conversations/c1/messages?after=forward': jsonResponse(200, {
        items: [later],
        nextCursor: null,
        newerCursor: null,
      }),
    });
    const store = useMessagesStore();

    await store.openAround('c1', anchor.id);
    store.upsert(live);
    expect(store.historyOf('c1')?.items.map((item) => item.id)).toEqual([anchor.id]);

    await store.loadNewer('c1');
    store.upsert(live);
    expect(store.historyOf('c1')?.items.map((item) => item.id)).toEqual([
      anchor.id,
      later.id,
      live.id,
    ]);
    expect(store.historyOf('c1')?.newerCursor).toBeNull();
  });

  it('shows a reply at once and replaces it with the server record, even if the event came first', async () => {
    const saved = makeMessage({
      direction: 'out',
      source: 'operator',
      text: 'Hello',
      status: 'pending',
      createdAt: '2025-01-15T10:00:05.000Z',
    });
    let answer: (response: Response) => void = () => {};
    stubFetch({
      'GET /api/conversations/c1/messages': jsonResponse(200, { items: [], nextCursor: null }),
      'POST /api/conversations/c1/messages': () =>
        new Promise<Response>((resolve) => (answer = resolve)),
    });
    const store = useMessagesStore();
    await store.open('c1');

    const sending = store.sendText('c1', 'Hello');
    const [local] = store.historyOf('c1')!.items;
    expect(local && isLocalMessage(local)).toBe(true);
    expect(local?.status).toBe('pending');

    store.upsert({ ...saved, status: 'sent' }); // the realtime event overtook the answer
    expect(store.historyOf('c1')!.items.map((item) => item.id)).toEqual([saved.id]);
    answer(jsonResponse(202, saved));
    await sending;

    const items = store.historyOf('c1')!.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: saved.id, text: 'Hello' });
    expect(isLocalMessage(items[0]!)).toBe(false);
  });

  it('keeps a refused reply as failed with the reason, and Retry sends it again', async () => {
    const saved = makeMessage({
      direction: 'out',
      source: 'operator',
      text: 'Hi',
      status: 'pending',
    });
    let attempts = 0;
    stubFetch({
      'GET /api/conversations/c1/messages': jsonResponse(200, { items: [], nextCursor: null }),
      'POST /api/conversations/c1/messages': () =>
        ++attempts === 1
          ? errorResponse(422, 'REPLY_WINDOW_CLOSED', 'The window is closed.')
          : jsonResponse(202, saved),
    });
    const store = useMessagesStore();
    await store.open('c1');

    await expect(store.sendText('c1', 'Hi')).rejects.toMatchObject({ code: 'REPLY_WINDOW_CLOSED' });
    const [failed] = store.historyOf('c1')!.items;
    expect(failed).toMatchObject({ status: 'failed', error: 'The window is closed.', text: 'Hi' });

    await (failed as Extract<typeof failed, { localId: string }>).retry();
    expect(store.historyOf('c1')!.items.map((item) => item.id)).toEqual([saved.id]);
  });

  it('ignores events of histories it has not opened', () => {
    const store = useMessagesStore();
    store.upsert(makeMessage({ conversationId: 'elsewhere' }));
    expect(store.historyOf('elsewhere')).toBeUndefined();
  });
});
