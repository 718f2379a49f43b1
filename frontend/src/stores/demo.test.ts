import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import type { SimulatorSetup, SimulatorThreadItem } from '@/api/types';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { useDemoStore } from './demo';

const setup: SimulatorSetup = {
  page: { pageId: '1001', name: 'Acme Coffee' },
  personas: [
    { id: 'anna', name: 'Anna Petrova', avatarUrl: '/demo/anna.jpg' },
    { id: 'ben', name: 'Ben Carter', avatarUrl: '/demo/ben.jpg' },
  ],
  quickReplies: [{ title: 'Order status', payload: 'ORDER_STATUS' }],
  sampleImages: [{ id: 'latte', title: 'Latte', url: '/demo/latte.jpg' }],
};

function item(id: string, from: 'visitor' | 'page'): SimulatorThreadItem {
  return {
    id,
    from,
    text: `${from} ${id}`,
    imageUrl: null,
    at: '2026-01-10T08:00:00.000Z',
    status: from === 'visitor' ? 'sent' : null,
    quickReplies: [],
    tag: null,
  };
}

const threadPath = (personaId: string) => `GET /api/demo/simulator/thread?personaId=${personaId}`;

describe('demo store: the simulator', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('loads the setup, writes as the first persona, and keeps one thread per persona', async () => {
    stubFetch({
      'GET /api/demo/simulator': jsonResponse(200, setup),
      [threadPath('anna')]: jsonResponse(200, { items: [item('a1', 'visitor')], typing: false }),
      [threadPath('ben')]: jsonResponse(200, { items: [item('b1', 'page')], typing: true }),
    });
    const demo = useDemoStore();

    await demo.fetchSetup();
    expect(demo.persona?.name).toBe('Anna Petrova');
    await demo.refreshThread();
    demo.selectPersona('ben');
    await demo.refreshThread();

    expect(demo.thread?.items.map((entry) => entry.id)).toEqual(['b1']);
    expect(demo.thread?.typing).toBe(true);
    expect(demo.threads.anna?.items.map((entry) => entry.id)).toEqual(['a1']);
  });

  it('shows a sent message at once, and a poll that left before the send cannot hide it', async () => {
    let answerPoll: (response: Response) => void = () => {};
    const { requests } = stubFetch({
      'GET /api/demo/simulator': jsonResponse(200, setup),
      [threadPath('anna')]: () => new Promise<Response>((resolve) => (answerPoll = resolve)),
      'POST /api/demo/simulator/messages': jsonResponse(202, item('a2', 'visitor')),
    });
    const demo = useDemoStore();
    await demo.fetchSetup();

    const poll = demo.refreshThread();
    await demo.send({ text: 'Order status', quickReplyPayload: 'ORDER_STATUS' });
    answerPoll(jsonResponse(200, { items: [], typing: false }));
    await poll;

    expect(demo.thread?.items.map((entry) => entry.id)).toEqual(['a2']);
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      personaId: 'anna',
      text: 'Order status',
      quickReplyPayload: 'ORDER_STATUS',
    });
  });

  it('reports the page’s replies as seen once per new reply', async () => {
    let items = [item('a1', 'visitor'), item('p1', 'page')];
    const { requests } = stubFetch({
      'GET /api/demo/simulator': jsonResponse(200, setup),
      [threadPath('anna')]: () => jsonResponse(200, { items, typing: false }),
      'POST /api/demo/simulator/read': jsonResponse(202, {}),
    });
    const demo = useDemoStore();
    await demo.fetchSetup();
    const reads = () => requests.filter((request) => request.path.endsWith('/read'));

    await demo.refreshThread();
    await demo.markRepliesSeen();
    await demo.refreshThread();
    await demo.markRepliesSeen();
    expect(reads()).toHaveLength(1);
    expect(reads()[0]?.body).toEqual({ personaId: 'anna' });

    items = [...items, item('a2', 'visitor')];
    await demo.refreshThread();
    await demo.markRepliesSeen();
    expect(reads()).toHaveLength(1);

    items = [...items, item('p2', 'page')];
    await demo.refreshThread();
    await demo.markRepliesSeen();
    expect(reads()).toHaveLength(2);
  });

  it('does not report anything for a thread without replies', async () => {
    const { requests } = stubFetch({
      'GET /api/demo/simulator': jsonResponse(200, setup),
      [threadPath('anna')]: jsonResponse(200, { items: [item('a1', 'visitor')], typing: false }),
    });
    const demo = useDemoStore();
    await demo.fetchSetup();
    await demo.refreshThread();

    await demo.markRepliesSeen();

    expect(requests.some((request) => request.path.endsWith('/read'))).toBe(false);
  });

  it('tries the read report again after it failed', async () => {
    let readAnswer = errorResponse(503, 'UNAVAILABLE');
    const { requests } = stubFetch({
      'GET /api/demo/simulator': jsonResponse(200, setup),
      [threadPath('anna')]: jsonResponse(200, { items: [item('p1', 'page')], typing: false }),
      'POST /api/demo/simulator/read': () => readAnswer,
    });
    const demo = useDemoStore();
    await demo.fetchSetup();
    await demo.refreshThread();

    await expect(demo.markRepliesSeen()).rejects.toMatchObject({ status: 503 });
    readAnswer = jsonResponse(202, {});
    await demo.markRepliesSeen();
    await demo.markRepliesSeen();

    expect(requests.filter((request) => request.path.endsWith('/read'))).toHaveLength(2);
  });
});
