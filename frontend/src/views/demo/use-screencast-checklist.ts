import { computed, ref, watch } from 'vue';
import type { Ref } from 'vue';
import { SCREENCAST_STEPS } from './review-kit-content';
import type { ScreencastStep } from './review-kit-content';

/** localStorage key prefix; the tenant id follows, so two demo tenants keep separate ticks. */
export const SCREENCAST_STORAGE_PREFIX = 'omni.reviewKit.screencast.';

function readDone(tenantId: string | null): ScreencastStep[] {
  if (!tenantId) return [];
  try {
    const stored: unknown = JSON.parse(
      localStorage.getItem(SCREENCAST_STORAGE_PREFIX + tenantId) ?? '[]',
    );
    return Array.isArray(stored) ? SCREENCAST_STEPS.filter((step) => stored.includes(step)) : [];
  } catch {
    return [];
  }
}

function writeDone(tenantId: string | null, done: readonly ScreencastStep[]): void {
  if (!tenantId) return;
  try {
    if (done.length)
      localStorage.setItem(SCREENCAST_STORAGE_PREFIX + tenantId, JSON.stringify(done));
    else localStorage.removeItem(SCREENCAST_STORAGE_PREFIX + tenantId);
  } catch {
    // Storage unavailable: the ticks last until the page is closed.
  }
}

/**
 * The screencast script's checkboxes. Recording takes several attempts over a day, so the
 * ticks survive a reload, per tenant, until "Reset checklist".
 */
export function useScreencastChecklist(tenantId: Ref<string | null>) {
  const done = ref<ScreencastStep[]>(readDone(tenantId.value));
  watch(tenantId, (id) => (done.value = readDone(id)));

  const doneCount = computed(() => done.value.length);

  function isDone(step: ScreencastStep): boolean {
    return done.value.includes(step);
  }

  function setDone(step: ScreencastStep, isChecked: boolean): void {
    done.value = SCREENCAST_STEPS.filter((candidate) =>
      candidate === step ? isChecked : done.value.includes(candidate),
    );
    writeDone(tenantId.value, done.value);
  }

  function reset(): void {
    done.value = [];
    writeDone(tenantId.value, []);
  }

  return { doneCount, isDone, setDone, reset };
}
