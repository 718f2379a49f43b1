import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import * as preferencesApi from '@/api/preferences';
import type { QueueFigures } from '@/api/types';
import { DEFAULT_ALERT_PREFERENCES, useAlertPreferencesStore } from '@/stores/alert-preferences';
import { useConversationsStore } from '@/stores/conversations';
import { useQueueStore } from '@/stores/queue';
import { useSessionStore } from '@/stores/session';
import { makeConversation, makeMessage, makeUser } from '@/test/factories';
import { createTestI18n } from '@/test/i18n';
import { isReminderDue, REMINDER_INTERVAL_MS, useChatAlerts } from './use-chat-alerts';

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

/** Counts the notes played and remembers the loudest gain asked for. */
class FakeAudioContext {
  static tones = 0;
  static peakGain = 0;
  currentTime = 0;
  state = 'running';
  destination = {};
  createOscillator() {
    FakeAudioContext.tones += 1;
    return { frequency: { value: 0 }, connect: (node: unknown) => node, start() {}, stop() {} };
  }
  createGain() {
    return {
      gain: {
        setValueAtTime() {},
        exponentialRampToValueAtTime(value: number) {
          FakeAudioContext.peakGain = Math.max(FakeAudioContext.peakGain, value);
        },
      },
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
    FakeAudioContext.peakGain = 0;
    opened.length = 0;
    vi.useFakeTimers();
    vi.spyOn(preferencesApi, 'getAlertPreferences').mockResolvedValue(
      structuredClone(DEFAULT_ALERT_PREFERENCES),
    );
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
    vi.useRealTimers();
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

describe('alerts for a visitor writing in a chat I hold', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    FakeNotification.made = [];
    FakeNotification.permission = 'granted';
    FakeAudioContext.tones = 0;
    FakeAudioContext.peakGain = 0;
    vi.useFakeTimers();
    vi.stubGlobal('Notification', FakeNotification);
    vi.stubGlobal('AudioContext', FakeAudioContext);
    vi.spyOn(preferencesApi, 'getAlertPreferences').mockResolvedValue(
      structuredClone(DEFAULT_ALERT_PREFERENCES),
    );
    useSessionStore().user = makeUser({ id: 'me', status: 'online' });
    mount(
      defineComponent({
        setup() {
          useChatAlerts(() => {});
          return () => h('div');
        },
      }),
      { global: { plugins: [createTestI18n()] } },
    );
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    setVisibility('visible');
  });

  /** A chat of mine, already known to the panel (no alert for that), then a new message. */
  function heldChatThen(message: Parameters<typeof makeMessage>[0]) {
    const conversations = useConversationsStore();
    const chat = makeConversation({ status: 'assigned', operatorId: 'me' });
    conversations.upsert(chat);
    FakeAudioContext.tones = 0;
    FakeAudioContext.peakGain = 0;
    FakeNotification.made = [];
    conversations.upsert({ ...chat, lastMessage: makeMessage(message), unreadCount: 1 });
    return chat;
  }

  it('plays the message sound for every new visitor message, and notifies in the background', () => {
    setVisibility('hidden');
    const chat = heldChatThen({ direction: 'in', text: 'Are you there?' });
    expect(FakeAudioContext.tones).toBe(1);
    expect(FakeNotification.made.map((made) => [made.title, made.options.body])).toEqual([
      [`${chat.contact.name} wrote to you`, 'Are you there?'],
    ]);

    const conversations = useConversationsStore();
    const second = makeMessage({ direction: 'in', text: 'Hello?' });
    conversations.upsert({ ...conversations.byId.get(chat.id)!, lastMessage: second });
    expect(FakeAudioContext.tones).toBe(2);
    // The same record again (a read receipt, a resync) is no new message.
    conversations.upsert({ ...conversations.byId.get(chat.id)!, unreadCount: 0 });
    expect(FakeAudioContext.tones).toBe(2);
  });

  it('stays silent for my own replies and for colleagues’ chats', () => {
    heldChatThen({ direction: 'out', text: 'On my way' });
    expect(FakeAudioContext.tones).toBe(0);

    const conversations = useConversationsStore();
    const colleagues = makeConversation({ status: 'assigned', operatorId: 'someone-else' });
    conversations.upsert(colleagues);
    conversations.upsert({ ...colleagues, lastMessage: makeMessage({ direction: 'in' }) });
    expect(FakeAudioContext.tones).toBe(0);
  });

  it('follows my preferences: a sound switched off, the volume, no desktop notifications', async () => {
    const preferences = useAlertPreferencesStore();
    vi.spyOn(preferencesApi, 'updateAlertPreferences').mockImplementation(async (change) => ({
      ...DEFAULT_ALERT_PREFERENCES,
      ...change,
      sounds: { ...DEFAULT_ALERT_PREFERENCES.sounds, ...change.sounds },
    }));
    await preferences.update({ sounds: { newMessage: false } });
    setVisibility('hidden');
    heldChatThen({ direction: 'in' });
    expect(FakeAudioContext.tones).toBe(0);
    expect(FakeNotification.made).toHaveLength(1);

    await preferences.update({
      sounds: { newMessage: true },
      volume: 0.2,
      desktopNotifications: false,
    });
    heldChatThen({ direction: 'in' });
    expect(FakeAudioContext.tones).toBe(1);
    expect(FakeAudioContext.peakGain).toBeCloseTo(0.25 * 0.2);
    expect(FakeNotification.made).toEqual([]);
  });
});

describe('the reminder', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
  const mine = (waitingSince: string | null) =>
    makeConversation({ status: 'assigned', operatorId: 'me', waitingSince });

  it('is due when a chat of mine waits for an answer longer than the threshold', () => {
    const base = { isTakingChats: true, waitingForMe: 0, thresholdSeconds: 120, now };
    expect(isReminderDue({ ...base, mine: [mine(ago(121))] })).toBe(true);
    expect(isReminderDue({ ...base, mine: [mine(ago(119)), mine(null)] })).toBe(false);
    expect(isReminderDue({ ...base, mine: [] })).toBe(false);
  });

  it('is due while chats I could take wait, but not while I am away', () => {
    const base = { mine: [], thresholdSeconds: 120, now };
    expect(isReminderDue({ ...base, isTakingChats: true, waitingForMe: 2 })).toBe(true);
    expect(isReminderDue({ ...base, isTakingChats: false, waitingForMe: 2 })).toBe(false);
  });

  it('repeats every 30 seconds while something waits, and stops when nothing does', () => {
    vi.useFakeTimers({ now });
    setActivePinia(createPinia());
    FakeAudioContext.tones = 0;
    vi.stubGlobal('AudioContext', FakeAudioContext);
    vi.spyOn(preferencesApi, 'getAlertPreferences').mockResolvedValue(
      structuredClone(DEFAULT_ALERT_PREFERENCES),
    );
    useSessionStore().user = makeUser({ id: 'me', status: 'online' });
    const queue = useQueueStore();
    const waitingOne = {
      at: new Date(now).toISOString(),
      departments: [{ departmentId: null, waiting: 1 }],
    } as unknown as QueueFigures;
    queue.apply(waitingOne);
    const wrapper = mount(
      defineComponent({
        setup() {
          useChatAlerts(
            () => {},
            () => 120,
          );
          return () => h('div');
        },
      }),
      { global: { plugins: [createTestI18n()] } },
    );

    vi.advanceTimersByTime(REMINDER_INTERVAL_MS);
    expect(FakeAudioContext.tones).toBe(3);
    vi.advanceTimersByTime(REMINDER_INTERVAL_MS);
    expect(FakeAudioContext.tones).toBe(6);

    queue.apply({ ...waitingOne, at: new Date(now + 61_000).toISOString(), departments: [] });
    vi.advanceTimersByTime(REMINDER_INTERVAL_MS);
    expect(FakeAudioContext.tones).toBe(6);

    wrapper.unmount();
    queue.apply(waitingOne);
    vi.advanceTimersByTime(REMINDER_INTERVAL_MS * 3);
    expect(FakeAudioContext.tones).toBe(6);
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
});
