import { useMessage } from 'naive-ui';
import { h, onScopeDispose } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Mention } from '@/api/types';
import { useMentionsStore } from '@/stores/mentions';
import { useAlertOutput } from './use-chat-alerts';

/** Long enough to read and click; it can be closed sooner. */
const TOAST_DURATION_MS = 12_000;
const TOAST_BUTTON_STYLE =
  'display:flex;flex-direction:column;gap:2px;padding:0;border:0;background:none;' +
  'color:inherit;font:inherit;text-align:left;cursor:pointer';
const TOAST_TEXT_STYLE =
  'max-width:380px;overflow:hidden;opacity:0.8;text-overflow:ellipsis;white-space:nowrap';

/**
 * A colleague mentioned me in a note: the message sound (if I keep it on), a toast that opens
 * the chat when clicked, and a desktop notification while the panel is in the background. Mounted by the
 * shell, so a mention reaches me on every page of the panel.
 */
export function useMentionAlerts(open: (conversationId: string) => void): void {
  const { t } = useI18n();
  const toast = useMessage();
  const mentions = useMentionsStore();
  const { play, notifyInBackground } = useAlertOutput();

  function alert(mention: Mention): void {
    play('newMessage', 'mention');
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
    notifyInBackground(
      title,
      { body: mention.message.text ?? '', tag: `omni-mention-${mention.message.id}` },
      () => open(mention.conversationId),
    );
  }

  onScopeDispose(mentions.onMention(alert));
}
