import { defineStore } from 'pinia';
import type { Mention } from '@/api/types';

type MentionListener = (mention: Mention) => void;

/**
 * `mention.created` events: a colleague mentioned the signed-in user in a note. The note
 * itself reaches the history through `message.created`; this tells whoever listens (the
 * shell's alert) once per note, even when a resync replays the event.
 */
export const useMentionsStore = defineStore('mentions', () => {
  const listeners = new Set<MentionListener>();
  const seenNoteIds = new Set<string>();

  function receive(mention: Mention): void {
    if (seenNoteIds.has(mention.message.id)) return;
    seenNoteIds.add(mention.message.id);
    for (const listener of listeners) listener(mention);
  }

  /** Returns the function that stops listening. */
  function onMention(listener: MentionListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  function reset(): void {
    seenNoteIds.clear();
  }

  return { receive, onMention, reset };
});
