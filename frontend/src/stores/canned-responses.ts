import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import * as cannedApi from '@/api/canned-responses';
import type {
  CannedResponse,
  CannedResponseCreateInput,
  CannedResponseUpdateInput,
} from '@/api/types';

/**
 * Two lists of canned responses: what the composer offers (usable) and what the management
 * screen edits (manageable; for admins every shared one, also of departments they are not in).
 */
export const useCannedResponsesStore = defineStore('cannedResponses', () => {
  const usable = ref<CannedResponse[]>([]);
  const manageable = ref<CannedResponse[]>([]);
  const hasLoadedUsable = ref(false);
  const hasLoadedManageable = ref(false);
  const uiFlags = reactive({
    isFetchingUsable: false,
    isFetchingManageable: false,
    isSaving: false,
    deletingId: null as string | null,
  });

  /**
   * Colleagues change shared responses without telling this tab: the composer asks again each
   * time its list opens, showing what it had meanwhile. Overlapping asks are merged.
   */
  let usableRequest: Promise<void> | null = null;
  function fetchUsable(): Promise<void> {
    usableRequest ??= (async () => {
      uiFlags.isFetchingUsable = true;
      try {
        usable.value = await cannedApi.listCannedResponses('usable');
        hasLoadedUsable.value = true;
      } finally {
        uiFlags.isFetchingUsable = false;
        usableRequest = null;
      }
    })();
    return usableRequest;
  }

  async function fetchManageable(): Promise<void> {
    uiFlags.isFetchingManageable = true;
    try {
      manageable.value = await cannedApi.listCannedResponses('manageable');
      hasLoadedManageable.value = true;
    } finally {
      uiFlags.isFetchingManageable = false;
    }
  }

  function bySortedShortcut(items: CannedResponse[]): CannedResponse[] {
    return [...items].sort((a, b) => a.shortcut.localeCompare(b.shortcut));
  }

  /** Every change also invalidates the composer's list (a shared one may have changed). */
  async function create(input: CannedResponseCreateInput): Promise<CannedResponse> {
    uiFlags.isSaving = true;
    try {
      const created = await cannedApi.createCannedResponse(input);
      manageable.value = bySortedShortcut([...manageable.value, created]);
      hasLoadedUsable.value = false;
      return created;
    } finally {
      uiFlags.isSaving = false;
    }
  }

  async function update(id: string, input: CannedResponseUpdateInput): Promise<CannedResponse> {
    uiFlags.isSaving = true;
    try {
      const updated = await cannedApi.updateCannedResponse(id, input);
      manageable.value = bySortedShortcut(
        manageable.value.map((item) => (item.id === id ? updated : item)),
      );
      hasLoadedUsable.value = false;
      return updated;
    } finally {
      uiFlags.isSaving = false;
    }
  }

  async function remove(id: string): Promise<void> {
    uiFlags.deletingId = id;
    try {
      await cannedApi.deleteCannedResponse(id);
      manageable.value = manageable.value.filter((item) => item.id !== id);
      usable.value = usable.value.filter((item) => item.id !== id);
    } finally {
      uiFlags.deletingId = null;
    }
  }

  /** Drops another tenant's data when the session ends. */
  function reset(): void {
    usable.value = [];
    manageable.value = [];
    hasLoadedUsable.value = false;
    hasLoadedManageable.value = false;
  }

  return {
    usable,
    manageable,
    hasLoadedUsable,
    hasLoadedManageable,
    uiFlags,
    fetchUsable,
    fetchManageable,
    create,
    update,
    remove,
    reset,
  };
});
