import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import * as webhooksApi from '@/api/webhook-subscriptions';
import type {
  CreatedWebhookSubscription,
  OutboundWebhookDelivery,
  WebhookSubscription,
  WebhookSubscriptionCreateInput,
  WebhookSubscriptionUpdateInput,
} from '@/api/types';

/**
 * The workspace's outbound webhooks (an admin screen) and the delivery log of the one being
 * looked at. A new subscription's secret goes to the caller once and is never kept here.
 */
export const useWebhookSubscriptionsStore = defineStore('webhookSubscriptions', () => {
  const items = ref<WebhookSubscription[]>([]);
  const hasLoaded = ref(false);
  /** The delivery log shown, and whose it is. */
  const deliveries = ref<OutboundWebhookDelivery[]>([]);
  const deliveriesOf = ref<string | null>(null);
  const uiFlags = reactive({
    isFetching: false,
    isSaving: false,
    isFetchingDeliveries: false,
    retryingId: null as string | null,
  });

  async function fetchAll(): Promise<void> {
    uiFlags.isFetching = true;
    try {
      items.value = await webhooksApi.listWebhookSubscriptions();
      hasLoaded.value = true;
    } finally {
      uiFlags.isFetching = false;
    }
  }

  /** Creates a subscription; the answer (with the secret) goes to the caller to show once. */
  async function create(
    input: WebhookSubscriptionCreateInput,
  ): Promise<CreatedWebhookSubscription> {
    uiFlags.isSaving = true;
    try {
      const created = await webhooksApi.createWebhookSubscription(input);
      const { secret: _shownOnce, ...listed } = created;
      items.value = [listed, ...items.value];
      return created;
    } finally {
      uiFlags.isSaving = false;
    }
  }

  async function update(id: string, input: WebhookSubscriptionUpdateInput): Promise<void> {
    uiFlags.isSaving = true;
    try {
      const updated = await webhooksApi.updateWebhookSubscription(id, input);
      items.value = items.value.map((item) => (item.id === id ? updated : item));
    } finally {
      uiFlags.isSaving = false;
    }
  }

  async function remove(id: string): Promise<void> {
    await webhooksApi.deleteWebhookSubscription(id);
    items.value = items.value.filter((item) => item.id !== id);
  }

  /** Loads (or reloads) a subscription's delivery log. */
  async function openDeliveries(id: string): Promise<void> {
    if (deliveriesOf.value !== id) deliveries.value = [];
    deliveriesOf.value = id;
    uiFlags.isFetchingDeliveries = true;
    try {
      const loaded = await webhooksApi.listWebhookDeliveries(id);
      if (deliveriesOf.value === id) deliveries.value = loaded;
    } finally {
      uiFlags.isFetchingDeliveries = false;
    }
  }

  /** Sends a delivery again; the log shows it pending until it is reloaded. */
  async function retry(deliveryId: string): Promise<void> {
    const id = deliveriesOf.value;
    if (!id) return;
    uiFlags.retryingId = deliveryId;
    try {
      const retried = await webhooksApi.retryWebhookDelivery(id, deliveryId);
      deliveries.value = deliveries.value.map((item) => (item.id === deliveryId ? retried : item));
    } finally {
      uiFlags.retryingId = null;
    }
  }

  /** Drops another tenant's data when the session ends. */
  function reset(): void {
    items.value = [];
    hasLoaded.value = false;
    deliveries.value = [];
    deliveriesOf.value = null;
  }

  return {
    items,
    hasLoaded,
    deliveries,
    deliveriesOf,
    uiFlags,
    fetchAll,
    create,
    update,
    remove,
    openDeliveries,
    retry,
    reset,
  };
});
