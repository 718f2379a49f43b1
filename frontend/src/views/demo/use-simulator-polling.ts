import { onScopeDispose, ref, watch } from 'vue';
import { useDemoStore } from '@/stores/demo';

/** How often the open thread is asked again while the simulator is on screen. */
export const SIMULATOR_POLL_INTERVAL_MS = 1_500;

function isPageVisible(): boolean {
  return document.visibilityState === 'visible';
}

/**
 * Keeps the simulator's open thread fresh. The simulator is a demo tool with no socket of its
 * own, so it polls, but only while the tab is visible and the view is mounted; the operator
 * panel never polls. Replies seen on a visible tab are reported as read, like Messenger does.
 */
export function useSimulatorPolling() {
  const demo = useDemoStore();
  /** The last poll failed (server unreachable): the view says so; polling goes on. */
  const hasFailed = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isDisposed = false;
  /** Only the newest poll schedules the next one, so a persona switch never starts a 2nd loop. */
  let latestPoll = 0;

  function schedule(): void {
    clearTimeout(timer);
    timer =
      !isDisposed && isPageVisible()
        ? setTimeout(() => void pollNow(), SIMULATOR_POLL_INTERVAL_MS)
        : undefined;
  }

  async function pollNow(): Promise<void> {
    clearTimeout(timer);
    if (isDisposed) return;
    const poll = ++latestPoll;
    try {
      await demo.refreshThread();
      if (isPageVisible()) await demo.markRepliesSeen();
      hasFailed.value = false;
    } catch {
      hasFailed.value = true;
    } finally {
      if (poll === latestPoll) schedule();
    }
  }

  function onVisibilityChange(): void {
    if (isPageVisible()) void pollNow();
    else clearTimeout(timer);
  }

  document.addEventListener('visibilitychange', onVisibilityChange);
  watch(
    () => demo.personaId,
    (id) => {
      if (id && isPageVisible()) void pollNow();
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    isDisposed = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibilityChange);
  });

  return { hasFailed, pollNow };
}
