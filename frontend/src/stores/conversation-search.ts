import { defineStore } from 'pinia';
import { computed, reactive, ref, watch } from 'vue';
import * as conversationsApi from '@/api/conversations';
import type { ConversationListItem, ConversationStatus } from '@/api/types';

/** Typing pauses this long before the search runs: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 300;
/** Shorter words match too much to be worth a request (and no trigram index helps them). */
export const MIN_QUERY_LENGTH = 2;

export interface SearchFilters {
  status: ConversationStatus | null;
  departmentId: string | null;
  operatorId: string | null;
  /** Omni's page id. */
  pageId: string | null;
  /** Last activity within [from, to), as epoch milliseconds (the date range picker's value). */
  period: [number, number] | null;
  labelId: string | null;
}

export const emptyFilters = (): SearchFilters => ({
  status: null,
  departmentId: null,
  operatorId: null,
  pageId: null,
  period: null,
  labelId: null,
});

/**
 * The search over every conversation the user may see: a query (visitor name or message
 * text) and filters, results page by page. Typing is debounced; a slower answer to an older
 * search never replaces a newer one.
 */
export const useConversationSearchStore = defineStore('conversationSearch', () => {
  const query = ref('');
  const filters = reactive<SearchFilters>(emptyFilters());
  const results = ref<ConversationListItem[]>([]);
  const nextCursor = ref<string | null>(null);
  const isLoading = ref(false);
  const hasLoaded = ref(false);
  const hasFailed = ref(false);
  /** Counts searches: only the latest one's answer is kept. */
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const trimmedQuery = computed(() => query.value.trim());
  const hasFilters = computed(() => Object.values(filters).some((value) => value !== null));
  /** Whether the lists give way to the results. */
  const isActive = computed(
    () => trimmedQuery.value.length >= MIN_QUERY_LENGTH || hasFilters.value,
  );

  function request(cursor?: string): conversationsApi.ConversationFilter {
    const [from, to] = filters.period ?? [];
    return {
      status: filters.status ?? undefined,
      departmentId: filters.departmentId ?? undefined,
      operatorId: filters.operatorId ?? undefined,
      pageId: filters.pageId ?? undefined,
      from: from === undefined ? undefined : new Date(from).toISOString(),
      to: to === undefined ? undefined : new Date(to).toISOString(),
      q: trimmedQuery.value.length >= MIN_QUERY_LENGTH ? trimmedQuery.value : undefined,
      labelId: filters.labelId ?? undefined,
      cursor,
    };
  }

  /** Runs the search now (the first page). */
  async function run(): Promise<void> {
    clearTimeout(timer);
    const mine = ++generation;
    if (!isActive.value) {
      results.value = [];
      nextCursor.value = null;
      hasLoaded.value = false;
      isLoading.value = false;
      return;
    }
    isLoading.value = true;
    try {
      const page = await conversationsApi.listConversations(request());
      if (mine !== generation) return;
      results.value = page.items;
      nextCursor.value = page.nextCursor;
      hasLoaded.value = true;
      hasFailed.value = false;
    } catch {
      if (mine === generation) hasFailed.value = true;
    } finally {
      if (mine === generation) isLoading.value = false;
    }
  }

  /** The next page of the current search (infinite scroll). */
  async function loadMore(): Promise<void> {
    if (!nextCursor.value || isLoading.value) return;
    const mine = generation;
    isLoading.value = true;
    try {
      const page = await conversationsApi.listConversations(request(nextCursor.value));
      if (mine !== generation) return;
      const known = new Set(results.value.map((item) => item.id));
      results.value = [...results.value, ...page.items.filter((item) => !known.has(item.id))];
      nextCursor.value = page.nextCursor;
    } finally {
      if (mine === generation) isLoading.value = false;
    }
  }

  /** Typing waits for a pause; a changed filter searches at once. */
  watch(query, () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), SEARCH_DEBOUNCE_MS);
  });
  watch(filters, () => void run(), { deep: true });

  function clearFilters(): void {
    Object.assign(filters, emptyFilters());
  }

  function reset(): void {
    clearTimeout(timer);
    generation += 1;
    query.value = '';
    Object.assign(filters, emptyFilters());
    results.value = [];
    nextCursor.value = null;
    hasLoaded.value = false;
    hasFailed.value = false;
    isLoading.value = false;
  }

  return {
    query,
    filters,
    results,
    nextCursor,
    isLoading,
    hasLoaded,
    hasFailed,
    hasFilters,
    isActive,
    trimmedQuery,
    run,
    loadMore,
    clearFilters,
    reset,
  };
});
