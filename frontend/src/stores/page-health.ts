import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as pageHealthApi from '@/api/page-health';
import type { PageHealth } from '@/api/types';

/** Where the incidents a user dismissed are kept: for this browser tab's session only. */
export const DISMISSED_STORAGE_KEY = 'omni.dismissedPageIncidents';

function readDismissed(): Set<string> {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(DISMISSED_STORAGE_KEY) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.map(String) : []);
  } catch {
    return new Set(); // private mode or disabled storage: dismissals last until a reload
  }
}

/**
 * The health of the pages the user works, for the banners above the panel: one per page
 * with an open incident, live through `page.updated`. A banner dismissed stays away for the
 * session, but only for that incident: the page's next outage shows it again.
 */
export const usePageHealthStore = defineStore('page-health', () => {
  const items = ref<PageHealth[]>([]);
  const dismissed = ref(readDismissed());
  const isFetching = ref(false);
  const hasLoaded = ref(false);

  const banners = computed(() =>
    items.value
      .filter((page) => page.incident && !dismissed.value.has(page.incident.id))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );

  async function fetch(): Promise<void> {
    isFetching.value = true;
    try {
      items.value = await pageHealthApi.listPageHealth();
      hasLoaded.value = true;
    } finally {
      isFetching.value = false;
    }
  }

  /** A page's health, as `page.updated` carries it. */
  function apply(page: PageHealth): void {
    const index = items.value.findIndex((item) => item.id === page.id);
    if (index >= 0) items.value = items.value.with(index, page);
    else items.value = [...items.value, page];
  }

  function forget(id: string): void {
    items.value = items.value.filter((item) => item.id !== id);
  }

  function dismiss(incidentId: string): void {
    dismissed.value = new Set([...dismissed.value, incidentId]);
    try {
      sessionStorage.setItem(DISMISSED_STORAGE_KEY, JSON.stringify([...dismissed.value]));
    } catch {
      // Not kept across a reload, then.
    }
  }

  /** Another user may sign in on this tab: nothing of this tenant stays. */
  function reset(): void {
    items.value = [];
    hasLoaded.value = false;
  }

  return { items, banners, isFetching, hasLoaded, fetch, apply, forget, dismiss, reset };
});
