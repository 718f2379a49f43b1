import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import * as conversationsApi from '@/api/conversations';
import type { Conversation, ConversationStatus } from '@/api/types';
import { useConversationsStore } from './conversations';

/** The "All conversations" screen's filters; null: any. `pageId` is Facebook's page id. */
export interface OversightFilters {
  operatorId: string | null;
  departmentId: string | null;
  pageId: string | null;
  labelId: string | null;
}

export type OversightGrouping = 'operator' | 'department' | 'page' | 'label' | 'none';

/** A filter's choice, or a group's heading: `key` null is "none" (waiting, no department). */
export interface OversightGroup {
  key: string | null;
  label: string | null;
  conversations: Conversation[];
}

/** Names the screen cannot read from the conversation itself (operators, departments). */
export interface OversightNames {
  operators: ReadonlyMap<string, string>;
  departments: ReadonlyMap<string, string>;
}

/** Pages loaded per status at most: 40 × 50 open chats is more than a screen can steer. */
const MAX_PAGES = 40;

export function matchesOversightFilters(
  conversation: Conversation,
  filters: OversightFilters,
): boolean {
  return (
    conversation.status !== 'closed' &&
    (filters.operatorId === null || conversation.operatorId === filters.operatorId) &&
    (filters.departmentId === null || conversation.departmentId === filters.departmentId) &&
    (filters.pageId === null || conversation.channel.pageId === filters.pageId) &&
    (filters.labelId === null || conversation.labels.some(({ id }) => id === filters.labelId))
  );
}

/** Since when the visitor waits for an answer (queued, or unanswered in a held chat). */
export function waitingSinceOf(conversation: Conversation): string | null {
  return (
    conversation.waitingSince ??
    (conversation.status === 'queued' ? (conversation.queuedAt ?? null) : null)
  );
}

/** Who waited longest first, then those nobody waits in, most recently assigned first. */
export function byLongestWait(a: Conversation, b: Conversation): number {
  const waitA = waitingSinceOf(a);
  const waitB = waitingSinceOf(b);
  if (waitA && waitB) return waitA.localeCompare(waitB) || a.id.localeCompare(b.id);
  if (waitA || waitB) return waitA ? -1 : 1;
  return (b.assignedAt ?? '').localeCompare(a.assignedAt ?? '') || a.id.localeCompare(b.id);
}

/**
 * The chats in groups, each in `byLongestWait` order; groups by name, the "none" group
 * (waiting in the queue, no department, no label) first, since it needs someone most. A chat
 * with several labels is in each of their groups.
 */
export function groupConversations(
  conversations: Conversation[],
  grouping: OversightGrouping,
  names: OversightNames,
): OversightGroup[] {
  const sorted = [...conversations].sort(byLongestWait);
  if (grouping === 'none') return [{ key: null, label: null, conversations: sorted }];
  const groups = new Map<string | null, OversightGroup>();
  const add = (key: string | null, label: string | null, conversation: Conversation) => {
    const group = groups.get(key) ?? { key, label, conversations: [] };
    group.conversations.push(conversation);
    groups.set(key, group);
  };
  for (const conversation of sorted) {
    switch (grouping) {
      case 'operator': {
        const id = conversation.status === 'assigned' ? conversation.operatorId : null;
        add(id, id ? (names.operators.get(id) ?? null) : null, conversation);
        break;
      }
      case 'department': {
        const id = conversation.departmentId;
        add(id, id ? (names.departments.get(id) ?? null) : null, conversation);
        break;
      }
      case 'page':
        add(conversation.channel.pageId, conversation.channel.pageName, conversation);
        break;
      case 'label':
        if (conversation.labels.length === 0) add(null, null, conversation);
        for (const label of conversation.labels) add(label.id, label.name, conversation);
        break;
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      Number(b.key === null) - Number(a.key === null) ||
      (a.label ?? '').localeCompare(b.label ?? ''),
  );
}

/** The choices a filter offers: the values the open chats carry, by name. */
export function filterChoices(
  conversations: Conversation[],
  grouping: Exclude<OversightGrouping, 'none'>,
  names: OversightNames,
): { value: string; label: string }[] {
  return groupConversations(conversations, grouping, names)
    .filter((group): group is OversightGroup & { key: string } => group.key !== null)
    .map((group) => ({ value: group.key, label: group.label ?? '…' }));
}

/**
 * Every open chat the signed-in admin or supervisor sees, for the "All conversations"
 * screen. The records live in the conversations store, so the realtime events that keep the
 * workspace current keep this screen current too; it only loads them and filters them.
 */
export const useOversightStore = defineStore('oversight', () => {
  const conversations = useConversationsStore();
  const filters = reactive<OversightFilters>({
    operatorId: null,
    departmentId: null,
    pageId: null,
    labelId: null,
  });
  const grouping = ref<OversightGrouping>('operator');
  const isLoading = ref(false);
  const hasLoaded = ref(false);

  const open = computed(() =>
    [...conversations.byId.values()].filter((item) => item.status !== 'closed'),
  );
  const shown = computed(() =>
    open.value.filter((item) => matchesOversightFilters(item, filters)).sort(byLongestWait),
  );

  async function loadStatus(status: Exclude<ConversationStatus, 'closed'>): Promise<void> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result = await conversationsApi.listConversations({ status, cursor });
      // Loaded quietly, as the workspace's lists are: a full screen is not a dozen arrivals.
      for (const item of result.items) conversations.byId.set(item.id, item);
      if (!result.nextCursor) return;
      cursor = result.nextCursor;
    }
  }

  async function fetchAll(): Promise<void> {
    isLoading.value = true;
    try {
      // New chats still choosing their department from a page's menu are open too.
      await Promise.all([
        loadStatus('choosing_department'),
        loadStatus('queued'),
        loadStatus('assigned'),
      ]);
      hasLoaded.value = true;
    } finally {
      isLoading.value = false;
    }
  }

  function clearFilters(): void {
    Object.assign(filters, { operatorId: null, departmentId: null, pageId: null, labelId: null });
  }

  function reset(): void {
    clearFilters();
    grouping.value = 'operator';
    hasLoaded.value = false;
  }

  return { filters, grouping, isLoading, hasLoaded, open, shown, fetchAll, clearFilters, reset };
});
