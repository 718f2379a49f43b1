import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import { makeConversation } from '@/test/factories';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { useConversationsStore } from './conversations';
import { filterChoices, groupConversations, useOversightStore } from './oversight';

const names = {
  operators: new Map([
    ['op-ann', 'Ann'],
    ['op-bob', 'Bob'],
  ]),
  departments: new Map([['dep-sales', 'Sales']]),
};

const vip = { id: 'label-vip', name: 'VIP', color: '#2563eb' };
const angry = { id: 'label-angry', name: 'Angry', color: '#dc2626' };

function scene() {
  const waiting = makeConversation({
    id: 'waiting',
    status: 'queued',
    departmentId: 'dep-sales',
    queuedAt: '2025-01-15T10:05:00.000Z',
    labels: [vip],
  });
  const waitingLonger = makeConversation({
    id: 'waiting-longer',
    status: 'queued',
    queuedAt: '2025-01-15T10:00:00.000Z',
    channel: { type: 'facebook', pageId: '2000', pageName: 'Beta' },
  });
  const bobs = makeConversation({
    id: 'bobs',
    status: 'assigned',
    operatorId: 'op-bob',
    departmentId: 'dep-sales',
    queuedAt: null,
    assignedAt: '2025-01-15T09:00:00.000Z',
    labels: [vip, angry],
  });
  const annsUnanswered = makeConversation({
    id: 'anns',
    status: 'assigned',
    operatorId: 'op-ann',
    queuedAt: null,
    assignedAt: '2025-01-15T08:00:00.000Z',
    waitingSince: '2025-01-15T09:30:00.000Z',
  });
  return { waiting, waitingLonger, bobs, annsUnanswered };
}

describe('grouping the open chats', () => {
  it('groups by operator, the waiting ones first, each group longest wait first', () => {
    const { waiting, waitingLonger, bobs, annsUnanswered } = scene();
    const groups = groupConversations(
      [bobs, waiting, annsUnanswered, waitingLonger],
      'operator',
      names,
    );
    expect(groups.map((group) => [group.label, group.conversations.map(({ id }) => id)])).toEqual([
      [null, ['waiting-longer', 'waiting']],
      ['Ann', ['anns']],
      ['Bob', ['bobs']],
    ]);
  });

  it('puts a chat in each of its labels, and the unlabelled together', () => {
    const { waiting, waitingLonger, bobs } = scene();
    const groups = groupConversations([waiting, waitingLonger, bobs], 'label', names);
    expect(groups.map((group) => [group.key, group.conversations.map(({ id }) => id)])).toEqual([
      [null, ['waiting-longer']],
      ['label-angry', ['bobs']],
      ['label-vip', ['waiting', 'bobs']],
    ]);
  });

  it('offers as filter choices what the open chats carry, by name', () => {
    const { waiting, waitingLonger, bobs } = scene();
    expect(filterChoices([waiting, waitingLonger, bobs], 'page', names)).toEqual([
      { value: '1000', label: 'Acme' },
      { value: '2000', label: 'Beta' },
    ]);
    expect(filterChoices([waiting, waitingLonger], 'department', names)).toEqual([
      { value: 'dep-sales', label: 'Sales' },
    ]);
  });
});

describe('oversight store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('loads every page of waiting, held and choosing chats, then filters them live', async () => {
    const { waiting, waitingLonger, bobs, annsUnanswered } = scene();
    // A new visitor still choosing a department from the page's menu: open, nobody's yet.
    const choosing = makeConversation({
      id: 'choosing',
      status: 'choosing_department',
      queuedAt: null,
      waitingSince: null,
    });
    stubFetch({
      'GET /api/conversations?status=choosing_department': jsonResponse(200, {
        items: [choosing],
        nextCursor: null,
      }),
      'GET /api/conversations?status=queued': jsonResponse(200, {
        items: [waitingLonger],
        nextCursor: 'next',
      }),
      'GET /api/conversations?status=queued&cursor=next': jsonResponse(200, {
        items: [waiting],
        nextCursor: null,
      }),
      'GET /api/conversations?status=assigned': jsonResponse(200, {
        items: [bobs, annsUnanswered],
        nextCursor: null,
      }),
    });
    const store = useOversightStore();
    await store.fetchAll();
    expect(store.hasLoaded).toBe(true);
    // Longest wait first: Ann's visitor unanswered since 9:30, the queue's, then Bob's (answered).
    expect(store.shown.map(({ id }) => id)).toEqual([
      'anns',
      'waiting-longer',
      'waiting',
      'bobs',
      'choosing',
    ]);

    store.filters.departmentId = 'dep-sales';
    store.filters.labelId = 'label-vip';
    expect(store.shown.map(({ id }) => id)).toEqual(['waiting', 'bobs']);
    store.filters.operatorId = 'op-bob';
    expect(store.shown.map(({ id }) => id)).toEqual(['bobs']);

    // A realtime update (through the conversations store) moves the chat out of the screen.
    useConversationsStore().upsert({ ...bobs, status: 'closed', operatorId: null });
    expect(store.shown).toEqual([]);
    store.clearFilters();
    expect(store.shown.map(({ id }) => id)).toEqual([
      'anns',
      'waiting-longer',
      'waiting',
      'choosing',
    ]);
  });
});
