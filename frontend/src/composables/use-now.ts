import { onScopeDispose, ref, type Ref } from 'vue';

const now = ref(Date.now());
let timer: ReturnType<typeof setInterval> | null = null;
let users = 0;

/**
 * One shared clock ticking every second, for wait times and countdowns: a hundred list rows
 * share one timer, and it stops when nothing on screen needs it.
 */
export function useNow(): Readonly<Ref<number>> {
  users += 1;
  if (!timer) {
    now.value = Date.now();
    timer = setInterval(() => (now.value = Date.now()), 1_000);
  }
  onScopeDispose(() => {
    users -= 1;
    if (users === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  });
  return now;
}
