import { onScopeDispose } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Conversation } from '@/api/types';
import { useConversationsStore, type ConversationArrival } from '@/stores/conversations';
import { useSessionStore } from '@/stores/session';

let audio: AudioContext | null = null;

/** Two short tones made on the spot: no sound file to ship, and quiet enough for a shift. */
export function chime(isUrgent: boolean): void {
  try {
    audio ??= new AudioContext();
    const start = audio.currentTime;
    const tones = isUrgent ? [660, 880] : [520];
    tones.forEach((frequency, index) => {
      const oscillator = audio!.createOscillator();
      const gain = audio!.createGain();
      oscillator.frequency.value = frequency;
      const at = start + index * 0.16;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.12, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.15);
      oscillator.connect(gain).connect(audio!.destination);
      oscillator.start(at);
      oscillator.stop(at + 0.16);
    });
  } catch {
    // No audio device, or the browser wants a click first: the visual alerts remain.
  }
}

/** Asks once, on a click (browsers ignore permission requests made without one). */
export function requestNotificationPermission(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission();
  }
}

/**
 * A sound and, while the panel is in the background, a desktop notification when a chat is
 * assigned to me or starts waiting in my queue. Clicking the notification opens the chat.
 */
export function useChatAlerts(open: (conversationId: string) => void): void {
  const { t } = useI18n();
  const conversations = useConversationsStore();
  const session = useSessionStore();

  function notify(arrival: ConversationArrival, conversation: Conversation): void {
    if (session.status === 'offline') return;
    const isMine = arrival === 'assigned-to-me';
    chime(isMine);
    if (document.visibilityState === 'visible') return;
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const notification = new Notification(
      t(isMine ? 'alerts.assigned' : 'alerts.waiting', { name: conversation.contact.name }),
      {
        body: conversation.lastMessage?.text ?? conversation.channel.pageName,
        tag: `omni-${conversation.id}`,
        icon: conversation.contact.avatarUrl ?? undefined,
      },
    );
    notification.onclick = () => {
      window.focus();
      open(conversation.id);
      notification.close();
    };
  }

  onScopeDispose(conversations.onArrival(notify));
}
