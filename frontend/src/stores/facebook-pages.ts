import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import * as pagesApi from '@/api/facebook-pages';
import type {
  FacebookPage,
  FacebookPageCreateInput,
  FacebookPageUpdateInput,
  PageHealth,
} from '@/api/types';

export const useFacebookPagesStore = defineStore('facebook-pages', () => {
  const items = ref<FacebookPage[]>([]);
  const hasLoaded = ref(false);
  const uiFlags = reactive({
    isFetching: false,
    isCreating: false,
    isUpdating: false,
    /** The page whose active switch is being saved. */
    togglingId: null as string | null,
    deletingId: null as string | null,
    /** The page being probed (Check now). */
    checkingId: null as string | null,
  });

  const sortedByName = computed(() =>
    [...items.value].sort((a, b) => a.name.localeCompare(b.name)),
  );

  async function fetchAll(): Promise<void> {
    uiFlags.isFetching = true;
    try {
      items.value = await pagesApi.listFacebookPages();
      hasLoaded.value = true;
    } finally {
      uiFlags.isFetching = false;
    }
  }

  async function create(input: FacebookPageCreateInput): Promise<FacebookPage> {
    uiFlags.isCreating = true;
    try {
      const page = await pagesApi.createFacebookPage(input);
      upsert(page);
      return page;
    } finally {
      uiFlags.isCreating = false;
    }
  }

  async function update(id: string, input: FacebookPageUpdateInput): Promise<FacebookPage> {
    uiFlags.isUpdating = true;
    try {
      const page = await pagesApi.updateFacebookPage(id, input);
      upsert(page);
      return page;
    } finally {
      uiFlags.isUpdating = false;
    }
  }

  async function setActive(id: string, active: boolean): Promise<FacebookPage> {
    uiFlags.togglingId = id;
    try {
      const page = await pagesApi.updateFacebookPage(id, { active });
      upsert(page);
      return page;
    } finally {
      uiFlags.togglingId = null;
    }
  }

  /** Asks Facebook now about the page's token and permissions (`POST …/check`). */
  async function check(id: string): Promise<FacebookPage> {
    uiFlags.checkingId = id;
    try {
      const page = await pagesApi.checkFacebookPage(id);
      upsert(page);
      return page;
    } finally {
      uiFlags.checkingId = null;
    }
  }

  async function remove(id: string): Promise<void> {
    uiFlags.deletingId = id;
    try {
      await pagesApi.deleteFacebookPage(id);
      forget(id);
    } finally {
      uiFlags.deletingId = null;
    }
  }

  /** A page deleted here or by another admin (`page.deleted`). */
  function forget(id: string): void {
    items.value = items.value.filter((item) => item.id !== id);
  }

  /** Applies a full record from the API (and, later, from a realtime event). */
  function upsert(page: FacebookPage): void {
    const index = items.value.findIndex((item) => item.id === page.id);
    if (index >= 0) items.value = items.value.with(index, page);
    else items.value = [...items.value, page];
  }

  /** A page's new health (`page.updated`): its setup checklist follows live. */
  function applyHealth(health: PageHealth): void {
    const index = items.value.findIndex((item) => item.id === health.id);
    const page = items.value[index];
    if (!page) return;
    items.value = items.value.with(index, {
      ...page,
      status: {
        ...page.status,
        tokenValid: health.tokenValid,
        missingPermissions: health.missingPermissions,
        healthCheckedAt: health.checkedAt,
      },
    });
  }

  /** Drops another tenant's data when the session ends. */
  function reset(): void {
    items.value = [];
    hasLoaded.value = false;
  }

  return {
    items,
    hasLoaded,
    uiFlags,
    sortedByName,
    fetchAll,
    create,
    update,
    forget,
    setActive,
    check,
    remove,
    upsert,
    applyHealth,
    reset,
  };
});
