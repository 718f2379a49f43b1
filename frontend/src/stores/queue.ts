import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as conversationsApi from '@/api/conversations';
import type { QueueFigures } from '@/api/types';
import { useSessionStore } from './session';

/**
 * The live queue of the business (`GET /api/queue`, then `queue.updated` snapshots): per
 * department who waits and who serves, and every operator's load for the transfer dialog.
 */
export const useQueueStore = defineStore('queue', () => {
  const figures = ref<QueueFigures | null>(null);

  /** Waiting in the departments I serve (all of them for an operator of none). */
  const waitingForMe = computed(() => {
    const user = useSessionStore().user;
    if (!figures.value || !user) return 0;
    const mine = new Set(user.departmentIds);
    return figures.value.departments
      .filter(
        (department) =>
          user.role === 'admin' ||
          department.departmentId === null ||
          mine.has(department.departmentId),
      )
      .reduce((total, department) => total + department.waiting, 0);
  });

  async function fetch(): Promise<void> {
    figures.value = await conversationsApi.getQueueFigures();
  }

  /** Snapshots may cross on the wire; the newer one wins. */
  function apply(next: QueueFigures): void {
    if (figures.value && figures.value.at > next.at) return;
    figures.value = next;
  }

  function reset(): void {
    figures.value = null;
  }

  return { figures, waitingForMe, fetch, apply, reset };
});
