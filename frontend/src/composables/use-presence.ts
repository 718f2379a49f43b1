import { useMessage } from 'naive-ui';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { PresenceStatus } from '@/api/types';
import { useSessionStore } from '@/stores/session';
import { useErrorMessage } from './use-error-message';

/** The current user's presence and the one way the panel changes it. */
export function usePresence() {
  const session = useSessionStore();
  const message = useMessage();
  const { t } = useI18n();
  const { describeError } = useErrorMessage();

  const status = computed<PresenceStatus>(() => session.status);
  const isChanging = computed(() => session.isChangingStatus);

  async function changeStatus(next: PresenceStatus): Promise<void> {
    try {
      await session.setStatus(next);
    } catch (error) {
      message.error(`${t('presence.changeFailed')} ${describeError(error)}`);
    }
  }

  return { status, isChanging, changeStatus };
}
