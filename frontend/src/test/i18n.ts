import { createAppI18n } from '@/i18n';

/** The real message catalogue, in English, for mounting components in tests. */
export function createTestI18n() {
  return createAppI18n('en');
}
