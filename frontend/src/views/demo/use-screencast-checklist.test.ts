import { afterEach, describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { SCREENCAST_STORAGE_PREFIX, useScreencastChecklist } from './use-screencast-checklist';

describe('useScreencastChecklist', () => {
  afterEach(() => localStorage.clear());

  it('remembers the ticks per tenant until they are reset', () => {
    const tenantId = ref<string | null>('t1');
    const first = useScreencastChecklist(tenantId);
    first.setDone('reply', true);
    first.setDone('login-and-page-settings', true);

    const reloaded = useScreencastChecklist(ref('t1'));
    expect(reloaded.isDone('reply')).toBe(true);
    expect(reloaded.doneCount.value).toBe(2);
    expect(useScreencastChecklist(ref('t2')).doneCount.value).toBe(0);

    reloaded.reset();
    expect(reloaded.doneCount.value).toBe(0);
    expect(localStorage.getItem(`${SCREENCAST_STORAGE_PREFIX}t1`)).toBeNull();
  });

  it('ignores what it does not recognise in storage', () => {
    localStorage.setItem(`${SCREENCAST_STORAGE_PREFIX}t1`, '["reply","nonsense"]');
    expect(useScreencastChecklist(ref('t1')).doneCount.value).toBe(1);
    localStorage.setItem(`${SCREENCAST_STORAGE_PREFIX}t1`, '{broken');
    expect(useScreencastChecklist(ref('t1')).doneCount.value).toBe(0);
  });
});
