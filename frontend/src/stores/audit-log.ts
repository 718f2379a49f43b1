import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import * as auditLogApi from '@/api/audit-log';
import type { AuditLogQuery } from '@/api/audit-log';
import type { AuditEntry } from '@/api/types';

export type AuditLogFilters = Pick<AuditLogQuery, 'actorId' | 'action'>;

/**
 * The audit log as far as the admin has read it: the first page for the filters, then
 * "load more" appends the next one. A reply for filters that changed meanwhile is dropped.
 */
export const useAuditLogStore = defineStore('audit-log', () => {
  const items = ref<AuditEntry[]>([]);
  const nextCursor = ref<string | null>(null);
  const hasLoaded = ref(false);
  const filters = ref<AuditLogFilters>({});
  const uiFlags = reactive({ isFetching: false, isLoadingMore: false });

  /** Counts the loads, so only the newest one's answer lands. */
  let generation = 0;

  async function fetchFirst(nextFilters: AuditLogFilters = filters.value): Promise<void> {
    filters.value = { ...nextFilters };
    const current = ++generation;
    uiFlags.isFetching = true;
    try {
      const page = await auditLogApi.listAuditLog(filters.value);
      if (current !== generation) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      hasLoaded.value = true;
    } finally {
      if (current === generation) uiFlags.isFetching = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || uiFlags.isLoadingMore) return;
    const current = generation;
    uiFlags.isLoadingMore = true;
    try {
      const page = await auditLogApi.listAuditLog({ ...filters.value, cursor: nextCursor.value });
      if (current !== generation) return;
      items.value = [...items.value, ...page.items];
      nextCursor.value = page.nextCursor;
    } finally {
      uiFlags.isLoadingMore = false;
    }
  }

  return { items, nextCursor, hasLoaded, filters, uiFlags, fetchFirst, loadMore };
});
