import { defineStore } from 'pinia';
import { ref } from 'vue';

/**
 * Whether the panel's realtime connection is lost and being retried (the API restarting,
 * PostgreSQL or Redis away): the shell shows a banner meanwhile, since what is on screen may
 * be stale. `realtime/socket.ts` sets it; nothing else does.
 */
export const useRealtimeConnectionStore = defineStore('realtime-connection', () => {
  const isLost = ref(false);
  /** When the next attempt starts (ms since the epoch), while one is planned. */
  const nextAttemptAt = ref<number | null>(null);

  function markLost(retryAt: number | null = null): void {
    isLost.value = true;
    nextAttemptAt.value = retryAt;
  }

  function markConnected(): void {
    isLost.value = false;
    nextAttemptAt.value = null;
  }

  /** No connection wanted (signed out): nothing to warn about. */
  function reset(): void {
    markConnected();
  }

  return { isLost, nextAttemptAt, markLost, markConnected, reset };
});
