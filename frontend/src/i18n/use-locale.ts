import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { isSupportedLocale, LOCALE_NAMES, persistLocale, SUPPORTED_LOCALES } from './index';
import type { AppLocale } from './index';

/** The current language and a setter that switches the whole panel and remembers the choice. */
export function useLocale() {
  const { locale } = useI18n({ useScope: 'global' });

  const currentLocale = computed<AppLocale>(() =>
    isSupportedLocale(locale.value) ? locale.value : 'en',
  );

  const localeOptions = SUPPORTED_LOCALES.map((code) => ({
    value: code,
    label: LOCALE_NAMES[code],
  }));

  function setLocale(next: AppLocale): void {
    locale.value = next;
    persistLocale(next);
  }

  return { currentLocale, localeOptions, setLocale };
}
