import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import * as deliveriesApi from '@/api/webhook-deliveries';
import type { DeliveryReplay, WebhookDelivery } from '@/api/types';

/**
 * The deliveries inspector of one Facebook page at a time: its recent webhook deliveries as
 * far as the admin has read them (the first page, then "load more"), and Replay, whose
 * answer replaces the delivery in place. A reply for a page no longer shown is dropped.
 */
export const usePageDeliveriesStore = defineStore('page-deliveries', () => {
  const pageId = ref<string | null>(null);
  const items = ref<WebhookDelivery[]>([]);
  const nextCursor = ref<string | null>(null);
  const hasLoaded = ref(false);
  const uiFlags = reactive({
    isFetching: false,
    isLoadingMore: false,
    replayingId: null as string | null,
  });

  /** Counts the loads, so only the newest one's answer lands. */
  let generation = 0;

  async function open(nextPageId: string): Promise<void> {
    // Another page's deliveries are not shown while this one's load.
    if (pageId.value !== nextPageId) {
      items.value = [];
      nextCursor.value = null;
      hasLoaded.value = false;
    }
    pageId.value = nextPageId;
    const current = ++generation;
    uiFlags.isFetching = true;
    try {
      const page = await deliveriesApi.listPageDeliveries(nextPageId);
      if (current !== generation) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      hasLoaded.value = true;
    } finally {
      if (current === generation) uiFlags.isFetching = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (!pageId.value || !nextCursor.value || uiFlags.isLoadingMore) return;
    const current = generation;
    uiFlags.isLoadingMore = true;
    try {
      const page = await deliveriesApi.listPageDeliveries(pageId.value, nextCursor.value);
      if (current !== generation) return;
      items.value = [...items.value, ...page.items];
      nextCursor.value = page.nextCursor;
    } finally {
      uiFlags.isLoadingMore = false;
    }
  }

  /** Replays a delivery of the page shown; the delivery as it is afterwards takes its place. */
  async function replay(deliveryId: string): Promise<DeliveryReplay | null> {
    if (!pageId.value) return null;
    const current = generation;
    uiFlags.replayingId = deliveryId;
    try {
      const result = await deliveriesApi.replayPageDelivery(pageId.value, deliveryId);
      if (current === generation) {
        items.value = items.value.map((item) =>
          item.id === result.delivery.id ? result.delivery : item,
        );
      }
      return result;
    } finally {
      uiFlags.replayingId = null;
    }
  }

  return { pageId, items, nextCursor, hasLoaded, uiFlags, open, loadMore, replay };
});
