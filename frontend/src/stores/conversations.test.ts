import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import { makeConversation, makeUser } from '@/test/factories';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { useConversationsStore, type ConversationArrival } from './conversations';
import { useSessionStore } from './session';

const me = makeUser({ id: 'me', status: 'online' });

describe('conversations store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
    useSessionStore().user = me;
  });

  it('derives the queue (oldest first) and my chats (latest first) from the records', () => {
    const store = useConversationsStore();
    store.upsert(makeConversation({ id: 'late', queuedAt: '2025-01-15T10:05:00.000Z' }));
    store.upsert(makeConversation({ id: 'early', queuedAt: '2025-01-15T10:01:00.000Z' }));
    store.upsert(
      makeConversation({
        id: 'mine-old',
        status: 'assigned',
        operatorId: 'me',
        assignedAt: '2025-01-15T09:00:00.000Z',
      }),
    );
    store.upsert(
      makeConversation({
        id: 'mine-new',
        status: 'assigned',
        operatorId: 'me',
        assignedAt: '2025-01-15T11:00:00.000Z',
      }),
    );
    store.upsert(makeConversation({ id: 'theirs', status: 'assigned', operatorId: 'other' }));

    expect(store.queue.map((item) => item.id)).toEqual(['early', 'late']);
    expect(store.mine.map((item) => item.id)).toEqual(['mine-new', 'mine-old']);
  });

  it('moves a chat between lists when a colleague takes it or it is assigned to me', () => {
    const store = useConversationsStore();
    const waiting = makeConversation({ id: 'w' });
    store.upsert(waiting);
    const arrivals: ConversationArrival[] = [];
    store.onArrival((arrival) => arrivals.push(arrival));

    store.upsert({ ...waiting, status: 'assigned', operatorId: 'colleague' });
    expect(store.queue).toEqual([]);
    expect(store.mine).toEqual([]);

    store.upsert({ ...waiting, status: 'assigned', operatorId: 'me' });
    expect(store.mine.map((item) => item.id)).toEqual(['w']);
    expect(arrivals).toEqual(['assigned-to-me']);

    // The same record again (a message in it) is not a new arrival.
    store.upsert({ ...waiting, status: 'assigned', operatorId: 'me', unreadCount: 1 });
    expect(arrivals).toEqual(['assigned-to-me']);
    expect(store.unreadTotal).toBe(1);
  });

  it("drops a deleted page's chats from every list, and only those", () => {
    const store = useConversationsStore();
    const gonePage = { type: 'facebook' as const, pageId: 'gone', pageName: 'Old page' };
    store.upsert(makeConversation({ id: 'waiting-gone', channel: gonePage }));
    store.upsert(
      makeConversation({
        id: 'mine-gone',
        status: 'assigned',
        operatorId: 'me',
        channel: gonePage,
      }),
    );
    store.upsert(makeConversation({ id: 'waiting-kept' }));
    store.upsert(makeConversation({ id: 'mine-kept', status: 'assigned', operatorId: 'me' }));

    store.forgetPage('gone');

    expect(store.queue.map((item) => item.id)).toEqual(['waiting-kept']);
    expect(store.mine.map((item) => item.id)).toEqual(['mine-kept']);
    expect(store.byId.has('mine-gone')).toBe(false);
  });

  it('announces chats that start waiting, but not those loaded with a list', async () => {
    const loaded = makeConversation();
    stubFetch({
      'GET /api/conversations?status=queued': jsonResponse(200, {
        items: [loaded],
        nextCursor: null,
      }),
      'GET /api/conversations?status=assigned&mine=true': jsonResponse(200, {
        items: [],
        nextCursor: null,
      }),
    });
    const store = useConversationsStore();
    const arrivals: string[] = [];
    store.onArrival((arrival, conversation) => arrivals.push(`${arrival}:${conversation.id}`));

    await store.fetchWorkspace();
    const newcomer = makeConversation();
    store.upsert(newcomer);

    expect(arrivals).toEqual([`started-waiting:${newcomer.id}`]);
    expect(store.queue).toHaveLength(2);
  });

  it('keeps newcomers past the last loaded page out of a partly loaded queue', async () => {
    const first = makeConversation({ queuedAt: '2025-01-15T10:00:00.000Z' });
    const second = makeConversation({ queuedAt: '2025-01-15T10:01:00.000Z' });
    const third = makeConversation({ queuedAt: '2025-01-15T10:02:00.000Z' });
    stubFetch({
      'GET /api/conversations?status=queued': jsonResponse(200, {
        items: [first],
        nextCursor: 'next',
      }),
      'GET /api/conversations?status=queued&cursor=next': jsonResponse(200, {
        items: [second],
        nextCursor: null,
      }),
      'GET /api/conversations?status=assigned&mine=true': jsonResponse(200, {
        items: [],
        nextCursor: null,
      }),
    });
    const store = useConversationsStore();
    await store.fetchWorkspace();

    // Arrived live, but the list has not reached it yet: no gap in the middle.
    store.upsert(third);
    expect(store.queue.map((item) => item.id)).toEqual([first.id]);

    await store.loadMore('queue');
    expect(store.queue.map((item) => item.id)).toEqual([first.id, second.id, third.id]);
  });

  it('takes a chat and keeps the queue unchanged when someone was faster', async () => {
    const waiting = makeConversation();
    stubFetch({
      [`POST /api/conversations/${waiting.id}/take`]: errorResponse(409, 'ALREADY_ASSIGNED'),
    });
    const store = useConversationsStore();
    store.upsert(waiting);

    await expect(store.take(waiting.id)).rejects.toMatchObject({ code: 'ALREADY_ASSIGNED' });
    expect(store.busyId).toBeNull();
    expect(store.queue).toHaveLength(1);
  });

  it('drops waiting and held chats that a reload no longer returns', async () => {
    const stale = makeConversation();
    const fresh = makeConversation();
    stubFetch({
      'GET /api/conversations?status=queued': jsonResponse(200, {
        items: [fresh],
        nextCursor: null,
      }),
      'GET /api/conversations?status=assigned&mine=true': jsonResponse(200, {
        items: [],
        nextCursor: null,
      }),
    });
    const store = useConversationsStore();
    await store.fetchWorkspace();
    store.upsert(stale);

    await store.reload();

    expect(store.queue.map((item) => item.id)).toEqual([fresh.id]);
    expect(store.byId.has(stale.id)).toBe(false);
  });

  it('searches the closed history and ignores an answer to an older query', async () => {
    const old = makeConversation({ status: 'closed' });
    const match = makeConversation({ status: 'closed' });
    let answerSlowly: (response: Response) => void = () => {};
    stubFetch({
      'GET /api/conversations?status=closed&q=ol': () =>
        new Promise<Response>((resolve) => (answerSlowly = resolve)),
      'GET /api/conversations?status=closed&q=olga': jsonResponse(200, {
        items: [match],
        nextCursor: null,
      }),
    });
    const store = useConversationsStore();

    const slow = store.searchClosed('ol');
    await store.searchClosed('olga');
    answerSlowly(jsonResponse(200, { items: [old], nextCursor: null }));
    await slow;

    expect(store.closed.map((item) => item.id)).toEqual([match.id]);
  });

  it('filters every list by a label through the API and by the labels the records carry', async () => {
    const vip = { id: 'vip', name: 'VIP', color: '#dc2626' };
    const waitingVip = makeConversation({ labels: [vip] });
    const waitingOther = makeConversation();
    const closedVip = makeConversation({ status: 'closed', labels: [vip] });
    const { requests } = stubFetch({
      'GET /api/conversations?status=queued': jsonResponse(200, {
        items: [waitingVip, waitingOther],
        nextCursor: null,
      }),
      'GET /api/conversations?status=assigned&mine=true': jsonResponse(200, {
        items: [],
        nextCursor: null,
      }),
      'GET /api/conversations?status=queued&labelId=vip': jsonResponse(200, {
        items: [waitingVip],
        nextCursor: null,
      }),
      'GET /api/conversations?status=assigned&mine=true&labelId=vip': jsonResponse(200, {
        items: [],
        nextCursor: null,
      }),
      'GET /api/conversations?status=closed&labelId=vip': jsonResponse(200, {
        items: [closedVip],
        nextCursor: null,
      }),
      'GET /api/conversations?status=closed': jsonResponse(200, {
        items: [closedVip],
        nextCursor: null,
      }),
    });
    const store = useConversationsStore();
    await store.fetchWorkspace();
    expect(store.queue).toHaveLength(2);

    await store.setLabelFilter('vip');
    expect(store.queue.map((item) => item.id)).toEqual([waitingVip.id]);
    await store.searchClosed('');
    expect(store.closed.map((item) => item.id)).toEqual([closedVip.id]);
    expect(requests.map((request) => request.path)).toContain(
      '/api/conversations?status=closed&labelId=vip',
    );

    // A chat that loses the label leaves the filtered lists at once.
    store.upsert({ ...waitingVip, labels: [] });
    expect(store.queue).toEqual([]);

    await store.setLabelFilter(null);
    expect(store.queue.map((item) => item.id).sort()).toEqual(
      [waitingVip.id, waitingOther.id].sort(),
    );
  });

  it('shows new labels at once, and puts the old ones back when the server refuses', async () => {
    const vip = { id: 'vip', name: 'VIP', color: '#dc2626' };
    const billing = { id: 'billing', name: 'Billing', color: '#2563eb' };
    const chat = makeConversation({ id: 'c1', labels: [vip] });
    let answer: (response: Response) => void = () => {};
    const { requests } = stubFetch({
      'PUT /api/conversations/c1/labels': () =>
        new Promise<Response>((resolve) => (answer = resolve)),
    });
    const store = useConversationsStore();
    store.upsert(chat);

    const accepted = store.setLabels('c1', [billing, vip]);
    expect(store.byId.get('c1')?.labels).toEqual([billing, vip]);
    expect(requests.at(-1)?.body).toEqual({ labelIds: ['billing', 'vip'] });
    answer(jsonResponse(200, { ...chat, labels: [billing, vip] }));
    await accepted;
    expect(store.byId.get('c1')?.labels).toEqual([billing, vip]);

    const refused = store.setLabels('c1', []);
    expect(store.byId.get('c1')?.labels).toEqual([]);
    answer(errorResponse(400, 'UNKNOWN_LABEL'));
    await expect(refused).rejects.toMatchObject({ code: 'UNKNOWN_LABEL' });
    expect(store.byId.get('c1')?.labels).toEqual([billing, vip]);
  });
});
