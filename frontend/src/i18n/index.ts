import { createI18n } from 'vue-i18n';
import bn from './locales/bn';
import en from './locales/en';
import type { MessageSchema } from './locales/en';
import ru from './locales/ru';

export const SUPPORTED_LOCALES = ['en', 'ru', 'bn'] as const;
export type AppLocale = (typeof SUPPORTED_LOCALES)[number];

/** Each language named in itself, so anyone can find their own in the switcher. */
export const LOCALE_NAMES: Record<AppLocale, string> = {
  en: 'English',
  ru: 'Русский',
  bn: 'বাংলা',
};

export const LOCALE_STORAGE_KEY = 'omni.locale';

export function isSupportedLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** Remembered choice first, then the browser's language, then English. */
export function detectLocale(): AppLocale {
  try {
    const stored = localStorage.getItem(LOCALE_STORAGE_KEY);
    if (isSupportedLocale(stored)) return stored;
  } catch {
    // storage unavailable: fall through to the browser language
  }
  const browser = (globalThis.navigator?.language ?? '').slice(0, 2).toLowerCase();
  return isSupportedLocale(browser) ? browser : 'en';
}

const dateFormats = {
  date: { year: 'numeric', month: 'short', day: 'numeric' },
  dateTime: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  shortDate: { month: 'short', day: 'numeric' },
  time: { hour: 'numeric', minute: '2-digit' },
  weekdayTime: { weekday: 'short', hour: 'numeric', minute: '2-digit' },
} as const;

const numberFormats = {
  percent: { style: 'percent', maximumFractionDigits: 0 },
} as const;

export function createAppI18n(locale: AppLocale = detectLocale()) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, ru, bn } satisfies Record<AppLocale, MessageSchema>,
    datetimeFormats: { en: dateFormats, ru: dateFormats, bn: dateFormats },
    numberFormats: { en: numberFormats, ru: numberFormats, bn: numberFormats },
    missingWarn: import.meta.env.DEV,
    fallbackWarn: false,
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;

/** Sets the page language (screen readers, hyphenation) and remembers the choice. */
export function persistLocale(locale: AppLocale): void {
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // not remembered, still applied
  }
}
