import { describe, expect, it } from 'vitest';
import bn from './locales/bn';
import en from './locales/en';
import ru from './locales/ru';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') result.set(path, value);
    else for (const [nested, text] of flatten(value, path)) result.set(nested, text);
  }
  return result;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const english = flatten(en);
const translations = { ru: flatten(ru), bn: flatten(bn) };

// Every source file of the panel as text (Vite's glob import works the same under Vitest).
const sources = import.meta.glob<string>(['../**/*.{ts,vue}', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('messages', () => {
  for (const [locale, messages] of Object.entries(translations)) {
    it(`${locale} translates every English string, with the same placeholders`, () => {
      expect([...messages.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, text] of english) {
        expect(placeholders(messages.get(key) ?? ''), `${locale}: ${key}`).toEqual(
          placeholders(text),
        );
        expect(messages.get(key)?.trim(), `${locale}: ${key}`).not.toBe('');
      }
    });
  }

  it('every literal key used in the code exists', () => {
    const missing: string[] = [];
    let keysSeen = 0;
    for (const [file, source] of Object.entries(sources)) {
      // t('a.b'), labelKey: 'a.b', titleKey: 'a.b' and FieldIssue { key: 'validation.x' }
      const pattern = /(?:\bt\(|[Kk]ey: )'([a-zA-Z]+\.[\w.]+)'/g;
      for (const match of source.matchAll(pattern)) {
        const key = match[1] ?? '';
        keysSeen += 1;
        if (!english.has(key)) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
    // Guards the scan itself: if the pattern stopped matching, the check above would be empty.
    expect(keysSeen).toBeGreaterThan(100);
  });

  it('every API error code the contract names has a translation', () => {
    for (const code of [
      'INVALID_CREDENTIALS',
      'EMAIL_TAKEN',
      'WEAK_PASSWORD',
      'TOO_MANY_ATTEMPTS',
      'DEMO_ACCOUNT',
      'DEPARTMENT_NAME_TAKEN',
      'SHORTCUT_TAKEN',
      'INVALID_MENTION',
      'LABEL_NAME_TAKEN',
      'UNKNOWN_LABEL',
      'CANNOT_DELETE_SELF',
      'LAST_ADMIN',
      'VALIDATION_FAILED',
      'UNAUTHENTICATED',
      'FORBIDDEN',
      'NOT_FOUND',
      'NETWORK_ERROR',
      'FACEBOOK_TOKEN_INVALID',
      'FACEBOOK_PAGE_MISMATCH',
      'PAGE_ALREADY_CONNECTED',
      'FACEBOOK_UNAVAILABLE',
      'ALREADY_ASSIGNED',
      'AT_CAPACITY',
      'OPERATOR_OFFLINE',
      'CONVERSATION_CLOSED',
      'REPLY_WINDOW_CLOSED',
      'NOT_RETRYABLE',
      'PAYLOAD_TOO_LARGE',
      'WRONG_PASSWORD',
      'WEAK_PASSWORD',
    ]) {
      expect(english.has(`errors.${code}`), code).toBe(true);
    }
  });
});
