import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import * as apiTokensApi from '@/api/api-tokens';
import type { ApiToken, ApiTokenCreateInput, CreatedApiToken } from '@/api/types';

/**
 * The workspace's API tokens (an admin screen). A created token's secret is handed to the
 * caller once and never kept here: the list holds what the server lists, the prefix only.
 */
export const useApiTokensStore = defineStore('apiTokens', () => {
  const items = ref<ApiToken[]>([]);
  const hasLoaded = ref(false);
  const uiFlags = reactive({
    isFetching: false,
    isCreating: false,
    revokingId: null as string | null,
  });

  async function fetchAll(): Promise<void> {
    uiFlags.isFetching = true;
    try {
      items.value = await apiTokensApi.listApiTokens();
      hasLoaded.value = true;
    } finally {
      uiFlags.isFetching = false;
    }
  }

  /** Creates a token; the answer (with the secret) goes to the caller to show once. */
  async function create(input: ApiTokenCreateInput): Promise<CreatedApiToken> {
    uiFlags.isCreating = true;
    try {
      const created = await apiTokensApi.createApiToken(input);
      const { token: _shownOnce, ...listed } = created;
      items.value = [listed, ...items.value];
      return created;
    } finally {
      uiFlags.isCreating = false;
    }
  }

  async function revoke(id: string): Promise<void> {
    uiFlags.revokingId = id;
    try {
      await apiTokensApi.revokeApiToken(id);
      items.value = items.value.filter((item) => item.id !== id);
    } finally {
      uiFlags.revokingId = null;
    }
  }

  /** Drops another tenant's data when the session ends. */
  function reset(): void {
    items.value = [];
    hasLoaded.value = false;
  }

  return { items, hasLoaded, uiFlags, fetchAll, create, revoke, reset };
});
