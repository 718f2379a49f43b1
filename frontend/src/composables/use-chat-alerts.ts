import { onScopeDispose } from 'vue';
import { useI18n } from 'vue-i18n';
import type { AlertSound, Conversation } from '@/api/types';
import { useAlertPreferencesStore } from '@/stores/alert-preferences';
import { useConversationsStore, type ConversationArrival } from '@/stores/conversations';
import { useQueueStore } from '@/stores/queue';
import { useSessionStore } from '@/stores/session';
import { playAlertTune, type AlertTune } from '@/utils/alert-sounds';

/** How often the reminder repeats while something still waits for me. */
export const REMINDER_INTERVAL_MS = 30_000;
/** The tenant's default for `unansweredReminderSeconds` (api.md, Tenant settings). */
export const DEFAULT_UNANSWERED_REMINDER_SECONDS = 120;

const ARRIVALS: Record<
  ConversationArrival,
  { sound: AlertSound; tune: AlertTune; titleKey: string }
> = {
  'assigned-to-me': { sound: 'newChat', tune: 'chatAssigned', titleKey: 'alerts.assigned' },
  'started-waiting': { sound: 'newChat', tune: 'chatWaiting', titleKey: 'alerts.waiting' },
  'visitor-wrote-to-me': {
    sound: 'newMessage',
    tune: 'visitorMessage',
    titleKey: 'alerts.newMessage',
  },
};

/** Asks once, on a click (browsers ignore permission requests made without one). */
export function requestNotificationPermission(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission();
  }
}

/**
 * Whether the reminder should sound now: a chat I hold has a visitor message unanswered for
 * longer than the tenant's threshold, or (while I take new chats) someone waits in my queue.
 */
export function isReminderDue(input: {
  mine: readonly Conversation[];
  isTakingChats: boolean;
  waitingForMe: number;
  thresholdSeconds: number;
  now: number;
}): boolean {
  if (input.isTakingChats && input.waitingForMe > 0) return true;
  const oldestAllowed = input.now - input.thresholdSeconds * 1000;
  return input.mine.some(
    (conversation) =>
      conversation.waitingSince !== null && Date.parse(conversation.waitingSince) <= oldestAllowed,
  );
}

/**
 * Sounds and desktop notifications as the user's preferences say (all on until they load).
 * A notification shows only while the panel is in the background; clicking it runs `onOpen`.
 */
export function useAlertOutput() {
  const alertPreferences = useAlertPreferencesStore();
  if (!alertPreferences.hasLoaded) alertPreferences.fetch().catch(() => {});

  function play(sound: AlertSound, tune: AlertTune): void {
    const { sounds, volume } = alertPreferences.preferences;
    if (sounds[sound]) playAlertTune(tune, volume);
  }

  function notifyInBackground(
    title: string,
    options: NotificationOptions,
    onOpen: () => void,
  ): void {
    if (document.visibilityState === 'visible') return;
    if (!alertPreferences.preferences.desktopNotifications) return;
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const notification = new Notification(title, options);
    notification.onclick = () => {
      window.focus();
      onOpen();
      notification.close();
    };
  }

  return { play, notifyInBackground };
}

/**
 * Sounds and, while the panel is in the background, desktop notifications: when a chat is
 * assigned to me or starts waiting in my queue, when a visitor writes in a chat I hold, and
 * a reminder every 30 s while something still waits for me. Each as the user's preferences
 * say; clicking a notification opens the chat.
 */
export function useChatAlerts(
  open: (conversationId: string) => void,
  unansweredReminderSeconds: () => number = () => DEFAULT_UNANSWERED_REMINDER_SECONDS,
): void {
  const { t } = useI18n();
  const conversations = useConversationsStore();
  const queue = useQueueStore();
  const session = useSessionStore();
  const { play, notifyInBackground } = useAlertOutput();

  function alertArrival(arrival: ConversationArrival, conversation: Conversation): void {
    if (session.status === 'offline') return;
    const { sound, tune, titleKey } = ARRIVALS[arrival];
    play(sound, tune);
    notifyInBackground(
      t(titleKey, { name: conversation.contact.name }),
      {
        body: conversation.lastMessage?.text ?? conversation.channel.pageName,
        tag: `omni-${conversation.id}`,
        icon: conversation.contact.avatarUrl ?? undefined,
      },
      () => open(conversation.id),
    );
  }

  function remindIfDue(): void {
    if (session.status === 'offline') return;
    const isDue = isReminderDue({
      mine: conversations.mine,
      isTakingChats: session.status === 'online',
      waitingForMe: queue.waitingForMe,
      thresholdSeconds: unansweredReminderSeconds(),
      now: Date.now(),
    });
    if (!isDue) return;
    play('reminder', 'reminder');
    notifyInBackground(t('alerts.reminder'), { tag: 'omni-reminder' }, () => {});
  }

  onScopeDispose(conversations.onArrival(alertArrival));
  const reminder = setInterval(remindIfDue, REMINDER_INTERVAL_MS);
  onScopeDispose(() => clearInterval(reminder));
}
