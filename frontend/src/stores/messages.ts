import { defineStore } from 'pinia';
import { reactive } from 'vue';
import * as conversationsApi from '@/api/conversations';
import { isApiError } from '@/api/http';
import * as notesApi from '@/api/notes';
import type { Message } from '@/api/types';

/** A reply the operator sent that the server has not answered yet (or refused). */
export interface LocalMessage extends Message {
  /** Set only on optimistic copies; the server's record replaces them. */
  localId: string;
  /** What to send again when the server refused it. */
  retry: () => Promise<void>;
}

export type HistoryItem = Message | LocalMessage;

export function isLocalMessage(message: HistoryItem): message is LocalMessage {
  return 'localId' in message;
}

interface History {
  /** Oldest first. */
  items: HistoryItem[];
  /** Reaches further back; null when the beginning is loaded. */
  nextCursor: string | null;
  /**
   * Reaches forward, when the history was opened around a message (a search hit, an earlier
   * episode) and the present is not loaded yet; null when it is.
   */
  newerCursor: string | null;
  hasLoaded: boolean;
  isLoadingOlder: boolean;
  isLoadingNewer: boolean;
}

const byTime = (a: HistoryItem, b: HistoryItem) =>
  a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

let localSequence = 0;

/** A pending local copy that `message`, just stored by the server, may be the record of. */
function isLocalCopyOf(item: HistoryItem, message: Message): boolean {
  return (
    isLocalMessage(item) &&
    item.status === 'pending' &&
    message.source === 'operator' &&
    item.direction === message.direction &&
    item.kind === message.kind &&
    item.text === message.text &&
    item.attachments[0]?.title === message.attachments[0]?.title
  );
}

/**
 * The histories of the conversations the operator opened, fed by pages from the API and by
 * `message.created` / `message.updated` events. Replies appear at once as local copies and
 * are reconciled with the server's record whichever arrives first, the answer or the event.
 */
export const useMessagesStore = defineStore('messages', () => {
  const histories = reactive(new Map<string, History>());

  function historyOf(conversationId: string): History | undefined {
    return histories.get(conversationId);
  }

  async function loadLatest(conversationId: string): Promise<void> {
    const page = await conversationsApi.listMessages(conversationId);
    const locals = histories.get(conversationId)?.items.filter(isLocalMessage) ?? [];
    histories.set(conversationId, {
      items: [...page.items, ...locals].sort(byTime),
      nextCursor: page.nextCursor,
      newerCursor: null,
      hasLoaded: true,
      isLoadingOlder: false,
      isLoadingNewer: false,
    });
  }

  /**
   * Loads the history once; opening the chat again shows what events kept up to date. A
   * history opened around a message starts again from the present.
   */
  async function open(conversationId: string): Promise<void> {
    const history = histories.get(conversationId);
    if (history?.hasLoaded && !history.newerCursor) return;
    await loadLatest(conversationId);
  }

  /** The page around one message (a search hit, an earlier episode's first message). */
  async function openAround(conversationId: string, messageId: string): Promise<void> {
    const page = await conversationsApi.listMessages(conversationId, { around: messageId });
    histories.set(conversationId, {
      items: page.items,
      nextCursor: page.nextCursor,
      newerCursor: page.newerCursor,
      hasLoaded: true,
      isLoadingOlder: false,
      isLoadingNewer: false,
    });
  }

  /** One page forward (scrolling down a history opened around a message). */
  async function loadNewer(conversationId: string): Promise<void> {
    const history = histories.get(conversationId);
    if (!history?.newerCursor || history.isLoadingNewer) return;
    history.isLoadingNewer = true;
    try {
      const page = await conversationsApi.listMessages(conversationId, {
        after: history.newerCursor,
      });
      const known = new Set(history.items.map((item) => item.id));
      history.items = [...history.items, ...page.items.filter((item) => !known.has(item.id))].sort(
        byTime,
      );
      history.newerCursor = page.newerCursor;
    } finally {
      history.isLoadingNewer = false;
    }
  }

  /** One page further back (infinite scroll upwards). */
  async function loadOlder(conversationId: string): Promise<void> {
    const history = histories.get(conversationId);
    if (!history?.nextCursor || history.isLoadingOlder) return;
    history.isLoadingOlder = true;
    try {
      const page = await conversationsApi.listMessages(conversationId, {
        cursor: history.nextCursor,
      });
      const known = new Set(history.items.map((item) => item.id));
      // Sorted as a plain array and assigned once: sorting the reactive one would trigger
      // every row's watchers thousands of times in a long history.
      history.items = [...page.items.filter((item) => !known.has(item.id)), ...history.items].sort(
        byTime,
      );
      history.nextCursor = page.nextCursor;
    } finally {
      history.isLoadingOlder = false;
    }
  }

  /** A record from the API or an event; histories not opened yet load it when they open. */
  function upsert(message: Message): void {
    const history = histories.get(message.conversationId);
    if (!history) return;
    const index = history.items.findIndex((item) => item.id === message.id);
    if (index >= 0) {
      history.items[index] = message;
      return;
    }
    // Short of the present (opened around a message), a new one would leave a gap: it comes
    // with the pages that lead there.
    if (history.newerCursor) return;
    // The event of one's own reply or note often overtakes the POST's answer: it takes the
    // place of its local copy at once, rather than both showing until the answer comes.
    const copy = history.items.findIndex((item) => isLocalCopyOf(item, message));
    if (copy >= 0) history.items.splice(copy, 1);
    // Nearly always the newest: found from the end, inserted with one splice.
    let at = history.items.length;
    while (at > 0 && byTime(history.items[at - 1]!, message) > 0) at -= 1;
    history.items.splice(at, 0, message);
  }

  function replaceLocal(conversationId: string, localId: string, message: Message | null): void {
    const history = histories.get(conversationId);
    if (!history) return;
    history.items = history.items.filter(
      (item) => !(isLocalMessage(item) && item.localId === localId),
    );
    if (message) upsert(message);
  }

  function addLocal(
    conversationId: string,
    fields: Pick<Message, 'kind' | 'text' | 'attachments'> &
      Partial<Pick<Message, 'direction' | 'mentions'>>,
    send: () => Promise<Message>,
  ): Promise<void> {
    const history = histories.get(conversationId);
    const localId = `local-${++localSequence}`;
    const local: LocalMessage = {
      id: localId,
      localId,
      conversationId,
      direction: 'out',
      source: 'operator',
      operatorId: null,
      status: 'pending',
      error: null,
      editedAt: null,
      details: {},
      mentions: [],
      createdAt: new Date().toISOString(),
      ...fields,
      retry: async () => {
        replaceLocal(conversationId, localId, null);
        await addLocal(conversationId, fields, send);
      },
    };
    history?.items.push(local);
    return send().then(
      (message) => replaceLocal(conversationId, localId, message),
      (error: unknown) => {
        // Kept in the history as failed, with the reason and Retry, so no text is lost.
        const item = history?.items.find(
          (candidate) => isLocalMessage(candidate) && candidate.localId === localId,
        );
        if (item) {
          item.status = 'failed';
          item.error = isApiError(error) ? error.message : String(error);
        }
        throw error;
      },
    );
  }

  function sendText(conversationId: string, text: string): Promise<void> {
    return addLocal(conversationId, { kind: 'text', text, attachments: [] }, () =>
      conversationsApi.sendReply(conversationId, text),
    );
  }

  /** A private note for colleagues: shown at once, never sent to the visitor. */
  function sendNote(conversationId: string, text: string, mentions: string[] = []): Promise<void> {
    return addLocal(
      conversationId,
      { kind: 'note', direction: 'internal', text, attachments: [], mentions },
      () => notesApi.createNote(conversationId, { text, mentions }),
    );
  }

  function sendFile(conversationId: string, file: File): Promise<void> {
    const kind = file.type.startsWith('image/')
      ? 'image'
      : file.type.startsWith('video/')
        ? 'video'
        : file.type.startsWith('audio/')
          ? 'audio'
          : 'file';
    const attachment = {
      kind,
      url: null,
      title: file.name,
      stickerId: null,
      coordinates: null,
      fileUrl: null,
    };
    return addLocal(conversationId, { kind, text: null, attachments: [attachment] }, () =>
      conversationsApi.sendFile(conversationId, file),
    );
  }

  /** Sends a reply the server marked failed once more. */
  async function retry(message: Message): Promise<void> {
    upsert({ ...message, status: 'pending', error: null });
    try {
      upsert(await conversationsApi.retryMessage(message.id));
    } catch (error) {
      upsert(message);
      throw error;
    }
  }

  /** After a disconnection too long to replay: the open histories start again from now. */
  async function reload(): Promise<void> {
    await Promise.all([...histories.keys()].map((conversationId) => loadLatest(conversationId)));
  }

  function reset(): void {
    histories.clear();
  }

  /** A conversation whose visitor was erased: its history is gone for good (none left to load). */
  function forget(conversationId: string): void {
    if (!histories.has(conversationId)) return;
    histories.set(conversationId, {
      items: [],
      nextCursor: null,
      newerCursor: null,
      hasLoaded: true,
      isLoadingOlder: false,
      isLoadingNewer: false,
    });
  }

  return {
    historyOf,
    open,
    openAround,
    loadOlder,
    loadNewer,
    upsert,
    sendText,
    sendNote,
    sendFile,
    retry,
    reload,
    reset,
    forget,
  };
});
