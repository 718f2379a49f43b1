import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import * as labelsApi from '@/api/labels';
import type { Label, LabelCreateInput, LabelUpdateInput } from '@/api/types';

const byName = (a: Label, b: Label) =>
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id);

/**
 * The workspace's labels: what the chat's label menu offers, what the list filter offers and
 * what admins manage. Conversations carry their own copy of each label (name and colour), kept
 * live by `conversation.updated`; this list is read again when a menu or filter opens.
 */
export const useLabelsStore = defineStore('labels', () => {
  const items = ref<Label[]>([]);
  const hasLoaded = ref(false);
  const uiFlags = reactive({
    isFetching: false,
    isSaving: false,
    deletingId: null as string | null,
  });

  const byId = computed(() => new Map(items.value.map((label) => [label.id, label])));

  /** Overlapping asks (the filter and the chat's menu opening together) share one request. */
  let request: Promise<void> | null = null;
  function fetchAll(): Promise<void> {
    request ??= (async () => {
      uiFlags.isFetching = true;
      try {
        items.value = (await labelsApi.listLabels()).sort(byName);
        hasLoaded.value = true;
      } finally {
        uiFlags.isFetching = false;
        request = null;
      }
    })();
    return request;
  }

  /** Loads the list once; later callers get what is held. */
  function ensureLoaded(): Promise<void> {
    return hasLoaded.value ? Promise.resolve() : fetchAll();
  }

  async function create(input: LabelCreateInput): Promise<Label> {
    uiFlags.isSaving = true;
    try {
      const created = await labelsApi.createLabel(input);
      items.value = [...items.value, created].sort(byName);
      return created;
    } finally {
      uiFlags.isSaving = false;
    }
  }

  async function update(id: string, input: LabelUpdateInput): Promise<Label> {
    uiFlags.isSaving = true;
    try {
      const updated = await labelsApi.updateLabel(id, input);
      items.value = items.value.map((item) => (item.id === id ? updated : item)).sort(byName);
      return updated;
    } finally {
      uiFlags.isSaving = false;
    }
  }

  async function remove(id: string): Promise<void> {
    uiFlags.deletingId = id;
    try {
      await labelsApi.deleteLabel(id);
      items.value = items.value.filter((item) => item.id !== id);
    } finally {
      uiFlags.deletingId = null;
    }
  }

  /** Drops another tenant's data when the session ends. */
  function reset(): void {
    items.value = [];
    hasLoaded.value = false;
  }

  return { items, hasLoaded, uiFlags, byId, fetchAll, ensureLoaded, create, update, remove, reset };
});
