import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowReactive } from 'vue';
import * as conversationsApi from '@/api/conversations';
import type { AssignTarget, Conversation, LabelSummary, TransferTarget } from '@/api/types';
import { useSessionStore } from './session';

/** The lists of the workspace; each is a live view of the records the panel holds. */
export type ConversationListName = 'queue' | 'mine' | 'closed';

interface ListState {
  hasLoaded: boolean;
  isLoading: boolean;
  nextCursor: string | null;
}

/** What just happened to a conversation, for sounds and desktop notifications. */
export type ConversationArrival = 'assigned-to-me' | 'started-waiting' | 'visitor-wrote-to-me';
type ArrivalListener = (arrival: ConversationArrival, conversation: Conversation) => void;

/** The record's last message is a visitor's that the previous record did not have. */
const isNewVisitorMessage = (previous: Conversation | undefined, next: Conversation) =>
  next.lastMessage?.direction === 'in' && next.lastMessage.id !== previous?.lastMessage?.id;

const activityOf = (conversation: Conversation) =>
  conversation.lastMessage?.createdAt ?? conversation.assignedAt ?? conversation.queuedAt ?? '';

/** The queue is served oldest first; everything else shows the latest activity first. */
const byWaitingSince = (a: Conversation, b: Conversation) =>
  (a.queuedAt ?? '').localeCompare(b.queuedAt ?? '') || a.id.localeCompare(b.id);
const byLatestActivity = (a: Conversation, b: Conversation) =>
  activityOf(b).localeCompare(activityOf(a)) || b.id.localeCompare(a.id);

/**
 * Every conversation the panel knows, by id, fed by the API and by `conversation.updated`
 * events. The queue and "my chats" are derived from the records, so a chat moves between
 * them the moment its record changes, whoever changed it. The closed history is a search.
 */
export const useConversationsStore = defineStore('conversations', () => {
  const byId = ref(new Map<string, Conversation>());
  const lists = reactive<Record<ConversationListName, ListState>>({
    queue: { hasLoaded: false, isLoading: false, nextCursor: null },
    mine: { hasLoaded: false, isLoading: false, nextCursor: null },
    closed: { hasLoaded: false, isLoading: false, nextCursor: null },
  });
  /** The closed history matching `closedQuery`, in the server's order. */
  const closedIds = ref<string[]>([]);
  const closedQuery = ref('');
  const busyId = ref<string | null>(null);
  const arrivalListeners = new Set<ArrivalListener>();
  /**
   * The lists' label filter (null: every chat). The server filters the pages loaded under it
   * and the records it holds are filtered too, so a chat that loses the label leaves the lists.
   */
  const labelFilter = ref<string | null>(null);
  const carriesFilteredLabel = (item: Conversation) =>
    labelFilter.value === null || item.labels.some((label) => label.id === labelFilter.value);

  const myId = computed(() => useSessionStore().user?.id ?? null);

  /**
   * Records past the last loaded page stay hidden until that page is loaded, so a list never
   * shows a gap; the queue's newcomers join at its end, the others' at their top.
   */
  function visible(
    list: ListState,
    items: Conversation[],
    order: (a: Conversation, b: Conversation) => number,
    lastLoaded: Conversation | undefined,
  ): Conversation[] {
    const sorted = items.sort(order);
    if (!list.nextCursor || !lastLoaded) return sorted;
    return sorted.filter((item) => order(item, lastLoaded) <= 0);
  }

  /** The last record each paged list loaded; shallow: only replacing it matters. */
  const loadedHorizon = shallowReactive<Record<'queue' | 'mine', Conversation | undefined>>({
    queue: undefined,
    mine: undefined,
  });

  const queue = computed(() => {
    const waiting = [...byId.value.values()].filter(
      (item) => item.status === 'queued' && carriesFilteredLabel(item),
    );
    return visible(lists.queue, waiting, byWaitingSince, loadedHorizon.queue);
  });

  const mine = computed(() => {
    const held = [...byId.value.values()].filter(
      (item) =>
        item.status === 'assigned' && item.operatorId === myId.value && carriesFilteredLabel(item),
    );
    return visible(lists.mine, held, byLatestActivity, loadedHorizon.mine);
  });

  const closed = computed(() =>
    closedIds.value
      .map((id) => byId.value.get(id))
      .filter(
        (item): item is Conversation => item?.status === 'closed' && carriesFilteredLabel(item),
      ),
  );

  const unreadTotal = computed(() =>
    mine.value.reduce((total, conversation) => total + conversation.unreadCount, 0),
  );

  function upsert(conversation: Conversation): void {
    const previous = byId.value.get(conversation.id);
    byId.value.set(conversation.id, conversation);
    announce(previous, conversation);
  }

  function announce(previous: Conversation | undefined, next: Conversation): void {
    let arrival: ConversationArrival | null = null;
    const isMine = (item: Conversation | undefined) =>
      item?.status === 'assigned' && item.operatorId === myId.value;
    if (isMine(next) && !isMine(previous)) arrival = 'assigned-to-me';
    else if (next.status === 'queued' && previous?.status !== 'queued') arrival = 'started-waiting';
    else if (isMine(next) && isNewVisitorMessage(previous, next)) arrival = 'visitor-wrote-to-me';
    if (!arrival) return;
    for (const listener of arrivalListeners) listener(arrival, next);
  }

  /**
   * Drops the conversations of a deleted page (`page.deleted`); a view that still shows one
   * fetches it again and is told it no longer exists.
   */
  function forgetPage(facebookPageId: string): void {
    for (const [id, conversation] of byId.value) {
      if (conversation.channel.pageId === facebookPageId) byId.value.delete(id);
    }
    closedIds.value = closedIds.value.filter((id) => byId.value.has(id));
  }

  /** Called for chats that become mine or start waiting, and visitors writing in mine. */
  function onArrival(listener: ArrivalListener): () => void {
    arrivalListeners.add(listener);
    return () => arrivalListeners.delete(listener);
  }

  /** Returns the ids the page held. */
  async function loadPage(name: 'queue' | 'mine', isFirstPage: boolean): Promise<string[]> {
    const list = lists[name];
    const labelId = labelFilter.value;
    list.isLoading = true;
    try {
      const page = await conversationsApi.listConversations({
        status: name === 'queue' ? 'queued' : 'assigned',
        mine: name === 'mine',
        labelId: labelId ?? undefined,
        cursor: isFirstPage ? undefined : (list.nextCursor ?? undefined),
      });
      // Records loaded quietly: a full list arriving is not a dozen new chats.
      for (const item of page.items) byId.value.set(item.id, item);
      // A page of the filter before the last change says nothing about the lists now.
      if (labelId !== labelFilter.value) return [];
      list.nextCursor = page.nextCursor;
      list.hasLoaded = true;
      loadedHorizon[name] = page.items.at(-1) ?? loadedHorizon[name];
      return page.items.map((item) => item.id);
    } finally {
      list.isLoading = false;
    }
  }

  /** The first pages of the queue and of my chats; again after a long disconnection. */
  async function fetchWorkspace(): Promise<Set<string>> {
    const pages = await Promise.all([loadPage('queue', true), loadPage('mine', true)]);
    return new Set(pages.flat());
  }

  async function loadMore(name: 'queue' | 'mine'): Promise<void> {
    const list = lists[name];
    if (!list.nextCursor || list.isLoading) return;
    await loadPage(name, false);
  }

  /** The closed history, filtered by visitor name or message text. */
  async function searchClosed(query: string, isNextPage = false): Promise<void> {
    const list = lists.closed;
    if (isNextPage && (!list.nextCursor || list.isLoading)) return;
    closedQuery.value = query;
    list.isLoading = true;
    try {
      const page = await conversationsApi.listConversations({
        status: 'closed',
        q: query.trim() || undefined,
        labelId: labelFilter.value ?? undefined,
        cursor: isNextPage ? (list.nextCursor ?? undefined) : undefined,
      });
      // A slower answer to an older query must not replace the newer one.
      if (closedQuery.value !== query) return;
      for (const item of page.items) byId.value.set(item.id, item);
      const ids = page.items.map((item) => item.id);
      closedIds.value = isNextPage ? [...closedIds.value, ...ids] : ids;
      list.nextCursor = page.nextCursor;
      list.hasLoaded = true;
    } finally {
      list.isLoading = false;
    }
  }

  /** The record of one conversation, fetched when the panel does not hold it yet. */
  async function ensure(id: string): Promise<Conversation> {
    const known = byId.value.get(id);
    if (known) return known;
    const conversation = await conversationsApi.getConversation(id);
    byId.value.set(id, conversation);
    return conversation;
  }

  /** Fetches one conversation again (after a change made outside the actions below). */
  async function refresh(id: string): Promise<void> {
    upsert(await conversationsApi.getConversation(id));
  }

  async function act(id: string, action: () => Promise<Conversation>): Promise<Conversation> {
    busyId.value = id;
    try {
      const conversation = await action();
      upsert(conversation);
      return conversation;
    } finally {
      busyId.value = null;
    }
  }

  const take = (id: string) => act(id, () => conversationsApi.takeConversation(id));
  const close = (id: string) => act(id, () => conversationsApi.closeConversation(id));
  const reopen = (id: string) => act(id, () => conversationsApi.reopenConversation(id));
  const transfer = (id: string, target: TransferTarget) =>
    act(id, () => conversationsApi.transferConversation(id, target));
  const assign = (id: string, target: AssignTarget) =>
    act(id, () => conversationsApi.assignConversation(id, target));

  /**
   * Shows only the chats carrying the label (null: all) in every list: the lists start again
   * from their first pages, as the server filters them.
   */
  async function setLabelFilter(labelId: string | null): Promise<void> {
    if (labelFilter.value === labelId) return;
    labelFilter.value = labelId;
    for (const name of ['queue', 'mine'] as const) {
      lists[name].nextCursor = null;
      loadedHorizon[name] = undefined;
    }
    const tasks: Promise<unknown>[] = [];
    if (lists.queue.hasLoaded || lists.mine.hasLoaded) tasks.push(fetchWorkspace());
    if (lists.closed.hasLoaded) tasks.push(searchClosed(closedQuery.value));
    await Promise.all(tasks);
  }

  /** The latest label change asked per conversation: an older answer never undoes a newer ask. */
  const labelRequests = new Map<string, number>();

  /**
   * Gives a conversation exactly these labels, shown at once; the server's record replaces
   * the local one, and a refusal puts the previous labels back.
   */
  async function setLabels(id: string, labels: LabelSummary[]): Promise<void> {
    const before = byId.value.get(id);
    if (before) byId.value.set(id, { ...before, labels });
    const request = (labelRequests.get(id) ?? 0) + 1;
    labelRequests.set(id, request);
    try {
      const conversation = await conversationsApi.setConversationLabels(
        id,
        labels.map((label) => label.id),
      );
      if (labelRequests.get(id) === request) byId.value.set(id, conversation);
    } catch (error) {
      const current = byId.value.get(id);
      if (before && current && labelRequests.get(id) === request) {
        byId.value.set(id, { ...current, labels: before.labels });
      }
      throw error;
    }
  }

  /** Clears my unread count for a chat I am reading (the server confirms with an event). */
  async function markSeen(id: string): Promise<void> {
    const conversation = byId.value.get(id);
    if (conversation && conversation.unreadCount > 0) {
      byId.value.set(id, { ...conversation, unreadCount: 0 });
    }
    await conversationsApi.markSeen(id);
  }

  /**
   * After a disconnection too long to replay: reload what was loaded. Waiting and held chats
   * the fresh lists no longer contain changed while we were away; they are dropped, and a
   * view that still shows one fetches it again.
   */
  async function reload(): Promise<void> {
    const tasks: Promise<void>[] = [];
    if (lists.queue.hasLoaded || lists.mine.hasLoaded) {
      const stale = [...queue.value, ...mine.value].map((item) => item.id);
      tasks.push(
        fetchWorkspace().then((fresh) => {
          for (const id of stale) if (!fresh.has(id)) byId.value.delete(id);
        }),
      );
    }
    if (lists.closed.hasLoaded) tasks.push(searchClosed(closedQuery.value));
    await Promise.all(tasks);
  }

  function reset(): void {
    byId.value = new Map();
    for (const list of Object.values(lists)) {
      Object.assign(list, { hasLoaded: false, isLoading: false, nextCursor: null });
    }
    loadedHorizon.queue = undefined;
    loadedHorizon.mine = undefined;
    closedIds.value = [];
    closedQuery.value = '';
    labelFilter.value = null;
  }

  return {
    refresh,
    byId,
    lists,
    queue,
    mine,
    closed,
    closedQuery,
    labelFilter,
    unreadTotal,
    busyId,
    upsert,
    forgetPage,
    onArrival,
    fetchWorkspace,
    loadMore,
    searchClosed,
    ensure,
    take,
    close,
    reopen,
    transfer,
    assign,
    markSeen,
    setLabelFilter,
    setLabels,
    reload,
    reset,
  };
});
