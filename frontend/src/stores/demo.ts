import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import * as demoApi from '@/api/demo';
import type {
  ReviewKit,
  SimulatorMessageInput,
  SimulatorSetup,
  SimulatorThread,
  SimulatorThreadItem,
} from '@/api/types';

/** The newest reply of the page in a thread: what the visitor marks as seen. */
export function newestPageReplyId(items: readonly SimulatorThreadItem[]): string | null {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    const item = items[index];
    if (item?.from === 'page') return item.id;
  }
  return null;
}

/**
 * The demo tenant's tools: the Messenger simulator (its setup and one thread per persona) and
 * the App Review kit's values. The simulator's polling lives in views/demo/use-simulator-polling.
 */
export const useDemoStore = defineStore('demo', () => {
  const setup = ref<SimulatorSetup | null>(null);
  const personaId = ref<string | null>(null);
  const threads = ref<Record<string, SimulatorThread>>({});
  const reviewKit = ref<ReviewKit | null>(null);
  const uiFlags = reactive({
    isFetchingSetup: false,
    isSending: false,
    isFetchingReviewKit: false,
  });

  /**
   * Bumped per persona by every thread request and every sent message. An answer is applied
   * only if its epoch is still current, so a poll that left before a send (or before a newer
   * poll) cannot take the just-sent message off the screen.
   */
  const epochs = new Map<string, number>();
  /** The newest page reply the visitor has already reported as seen, per persona. */
  const seenReplyIds = new Map<string, string>();

  const persona = computed(
    () => setup.value?.personas.find((candidate) => candidate.id === personaId.value) ?? null,
  );
  const thread = computed<SimulatorThread | null>(() =>
    personaId.value ? (threads.value[personaId.value] ?? null) : null,
  );

  function bumpEpoch(id: string): number {
    const next = (epochs.get(id) ?? 0) + 1;
    epochs.set(id, next);
    return next;
  }

  async function fetchSetup(): Promise<void> {
    uiFlags.isFetchingSetup = true;
    try {
      setup.value = await demoApi.getSimulatorSetup();
      if (!persona.value) personaId.value = setup.value.personas[0]?.id ?? null;
    } finally {
      uiFlags.isFetchingSetup = false;
    }
  }

  function selectPersona(id: string): void {
    personaId.value = id;
  }

  /** Loads the current persona's thread; a stale answer (see `epochs`) is dropped. */
  async function refreshThread(): Promise<void> {
    const id = personaId.value;
    if (!id) return;
    const epoch = bumpEpoch(id);
    const next = await demoApi.getSimulatorThread(id);
    if (epochs.get(id) === epoch) threads.value[id] = next;
  }

  /** Sends as the current persona; the message shows as soon as Omni's webhook took it. */
  async function send(message: Omit<SimulatorMessageInput, 'personaId'>): Promise<void> {
    const id = personaId.value;
    if (!id) return;
    uiFlags.isSending = true;
    try {
      const item = await demoApi.sendSimulatorMessage({ personaId: id, ...message });
      bumpEpoch(id);
      const current = threads.value[id] ?? { items: [], typing: false };
      if (!current.items.some((existing) => existing.id === item.id)) {
        threads.value[id] = { ...current, items: [...current.items, item] };
      }
    } finally {
      uiFlags.isSending = false;
    }
  }

  /**
   * The visitor has seen the page's replies: reports it once per new reply, so the operator's
   * message turns delivered and read. A failed report is tried again on the next call.
   */
  async function markRepliesSeen(): Promise<void> {
    const id = personaId.value;
    const replyId = id ? newestPageReplyId(threads.value[id]?.items ?? []) : null;
    if (!id || !replyId || seenReplyIds.get(id) === replyId) return;
    seenReplyIds.set(id, replyId);
    try {
      await demoApi.markSimulatorThreadRead(id);
    } catch (error) {
      if (seenReplyIds.get(id) === replyId) seenReplyIds.delete(id);
      throw error;
    }
  }

  async function fetchReviewKit(): Promise<void> {
    uiFlags.isFetchingReviewKit = true;
    try {
      reviewKit.value = await demoApi.getReviewKit();
    } finally {
      uiFlags.isFetchingReviewKit = false;
    }
  }

  function reset(): void {
    setup.value = null;
    personaId.value = null;
    threads.value = {};
    reviewKit.value = null;
    epochs.clear();
    seenReplyIds.clear();
  }

  return {
    setup,
    personaId,
    threads,
    reviewKit,
    uiFlags,
    persona,
    thread,
    fetchSetup,
    selectPersona,
    refreshThread,
    send,
    markRepliesSeen,
    fetchReviewKit,
    reset,
  };
});
