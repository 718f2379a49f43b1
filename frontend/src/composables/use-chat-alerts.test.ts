import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { useConversationsStore } from '@/stores/conversations';
import { useSessionStore } from '@/stores/session';
import { makeConversation, makeUser } from '@/test/factories';
import { createTestI18n } from '@/test/i18n';
import { useChatAlerts } from './use-chat-alerts';

/** A desktop notification as the browser would make it, recorded. */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static made: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.made.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

class FakeAudioContext {
  static tones = 0;
  currentTime = 0;
  destination = {};
  createOscillator() {
    FakeAudioContext.tones += 1;
    return { frequency: { value: 0 }, connect: (node: unknown) => node, start() {}, stop() {} };
  }
  createGain() {
    return {
      gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} },
      connect: (node: unknown) => node,
    };
  }
}

function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
}

describe('chat alerts', () => {
  const opened: string[] = [];

  beforeEach(() => {
    setActivePinia(createPinia());
    FakeNotification.made = [];
    FakeNotification.permission = 'granted';
    FakeAudioContext.tones = 0;
    opened.length = 0;
    vi.stubGlobal('Notification', FakeNotification);
    vi.stubGlobal('AudioContext', FakeAudioContext);
    useSessionStore().user = makeUser({ id: 'me', status: 'online' });
    mount(
      defineComponent({
        setup() {
          useChatAlerts((id) => opened.push(id));
          return () => h('div');
        },
      }),
      { global: { plugins: [createTestI18n()] } },
    );
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    setVisibility('visible');
  });

  it('chimes and, in the background, notifies of a chat assigned to me; a click opens it', () => {
    setVisibility('hidden');
    const chat = makeConversation({ status: 'assigned', operatorId: 'me' });

    useConversationsStore().upsert(chat);

    expect(FakeAudioContext.tones).toBe(2);
    expect(FakeNotification.made.map((made) => made.title)).toEqual([
      `New chat: ${chat.contact.name}`,
    ]);
    FakeNotification.made[0]!.onclick?.();
    expect(opened).toEqual([chat.id]);
    expect(FakeNotification.made[0]!.closed).toBe(true);
  });

  it('only chimes while the panel is in front, and says who waits', () => {
    const waiting = makeConversation({ status: 'queued' });
    useConversationsStore().upsert(waiting);
    expect(FakeAudioContext.tones).toBe(1);
    expect(FakeNotification.made).toEqual([]);

    setVisibility('hidden');
    const next = makeConversation({ status: 'queued' });
    useConversationsStore().upsert(next);
    expect(FakeNotification.made.map((made) => made.title)).toEqual([
      `${next.contact.name} is waiting`,
    ]);
  });

  it('stays silent while I am offline or have not allowed notifications', () => {
    setVisibility('hidden');
    useSessionStore().user = makeUser({ id: 'me', status: 'offline' });
    useConversationsStore().upsert(makeConversation({ status: 'queued' }));
    expect(FakeAudioContext.tones).toBe(0);

    useSessionStore().user = makeUser({ id: 'me', status: 'online' });
    FakeNotification.permission = 'denied';
    useConversationsStore().upsert(makeConversation({ status: 'queued' }));
    expect(FakeAudioContext.tones).toBe(1);
    expect(FakeNotification.made).toEqual([]);
  });
});
