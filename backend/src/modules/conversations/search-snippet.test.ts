import { describe, expect, it } from 'vitest';
import { makeSnippet } from './search-snippet.js';

describe('a search snippet', () => {
  it('is the whole text when it is short', () => {
    expect(makeSnippet('my order 4711 is late', '4711')).toBe('my order 4711 is late');
  });

  it('keeps some words before the match and cuts at words, marking the cuts', () => {
    const text = `${'lorem ipsum dolor '.repeat(10)}the parcel 4711 never arrived ${'sit amet '.repeat(20)}`;
    const snippet = makeSnippet(text, 'PARCEL');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('the parcel 4711 never arrived');
    expect(snippet.length).toBeLessThanOrEqual(125);
    // Whole words only at both ends.
    expect(
      snippet
        .slice(1, -1)
        .split(' ')
        .every((word) => /^[a-z0-9]+$/.test(word)),
    ).toBe(true);
  });

  it('finds the match in any case, Cyrillic included', () => {
    const text = `${'длинное вступление '.repeat(6)}Где мой ЗАКАЗ номер 4711?`;
    expect(makeSnippet(text, 'заказ')).toContain('ЗАКАЗ номер 4711?');
  });

  it('never splits an emoji or a letter from its accent', () => {
    const emoji = '😀';
    const text = `${emoji.repeat(40)} match ${emoji.repeat(200)}`;
    const snippet = makeSnippet(text, 'match');
    expect(snippet).toContain('match');
    expect(snippet).toContain(emoji);
    // No lone surrogate (a half emoji is category Cs; a whole one is not).
    expect(/\p{Cs}/u.test(snippet)).toBe(false);

    const accented = `${'e\u0301'.repeat(60)} word`;
    const cut = makeSnippet(accented, 'word');
    expect(cut.replace('…', '').startsWith('\u0301')).toBe(false);
  });

  it('folds whitespace and falls back to the beginning when the match is not found', () => {
    expect(makeSnippet('line one\n\n  line   two', 'zzz')).toBe('line one line two');
    expect(makeSnippet('a(b)*c', '(b)*')).toBe('a(b)*c');
  });
});
