import { computed, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Conversation } from '@/api/types';
import { useNow } from '@/composables/use-now';
import { followUpState } from './reply-window';

/**
 * Whether a closed chat can be followed up now, and if not, the sentence that says why
 * ("The visitor's reply window closed on …"); empty while it can.
 */
export function useFollowUp(conversation: Ref<Conversation>) {
  const { t, d } = useI18n();
  const now = useNow();
  const state = computed(() => followUpState(conversation.value.replyWindow, now.value));
  const reason = computed(() => {
    if (state.value.isPossible) return '';
    const { closedAt } = state.value;
    return closedAt === null
      ? t('chat.followUpNeverWrote')
      : t('chat.followUpWindowClosed', { when: d(new Date(closedAt), 'dateTime') });
  });
  return { isPossible: computed(() => state.value.isPossible), reason };
}
