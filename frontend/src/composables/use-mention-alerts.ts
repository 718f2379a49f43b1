import { useMessage } from 'naive-ui';
import { h, onScopeDispose } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Mention } from '@/api/types';
import { useMentionsStore } from '@/stores/mentions';
import { chime } from './use-chat-alerts';

/** Long enough to read and click; it can be closed sooner. */
const TOAST_DURATION_MS = 12_000;
const TOAST_BUTTON_STYLE =
  'display:flex;flex-direction:column;gap:2px;padding:0;border:0;background:none;' +
  'color:inherit;font:inherit;text-align:left;cursor:pointer';
const TOAST_TEXT_STYLE =
  'max-width:380px;overflow:hidden;opacity:0.8;text-overflow:ellipsis;white-space:nowrap';

/**
 * A colleague mentioned me in a note: the urgent chime, a toast that opens the chat when
 * clicked, and a desktop notification while the panel is in the background. Mounted by the
 * shell, so a mention reaches me on every page of the panel.
 */
export function useMentionAlerts(open: (conversationId: string) => void): void {
  const { t } = useI18n();
  const toast = useMessage();
  const mentions = useMentionsStore();

  function alert(mention: Mention): void {
    chime(true);
    const title = t('notes.mentionedYou', {
      name: mention.mentionedBy?.name ?? t('notes.someone'),
      visitor: mention.contactName,
    });
    const shown = toast.info(
      () =>
        h(
          'button',
          {
            type: 'button',
            // Rendered by naive-ui's message provider, outside any component's scoped styles.
            style: TOAST_BUTTON_STYLE,
            'data-testid': 'mention-toast',
            title: t('notes.openChat'),
            onClick: () => {
              open(mention.conversationId);
              shown.destroy();
            },
          },
          [h('strong', title), h('span', { style: TOAST_TEXT_STYLE }, mention.message.text ?? '')],
        ),
      { duration: TOAST_DURATION_MS, closable: true },
    );
    if (document.visibilityState === 'visible') return;
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const notification = new Notification(title, {
      body: mention.message.text ?? '',
      tag: `omni-mention-${mention.message.id}`,
    });
    notification.onclick = () => {
      window.focus();
      open(mention.conversationId);
      notification.close();
    };
  }

  onScopeDispose(mentions.onMention(alert));
}
