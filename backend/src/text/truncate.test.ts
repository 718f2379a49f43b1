import { describe, expect, it } from 'vitest';
import { truncateCodePoints } from './truncate.js';

/** A lone surrogate is a code point of category Cs; a whole pair is not. */
const hasLoneSurrogate = (text: string) => /\p{Cs}/u.test(text);

describe('truncateCodePoints', () => {
  it('keeps a text that fits, however it counts in UTF-16', () => {
    expect(truncateCodePoints('hello', 5)).toBe('hello');
    expect(truncateCodePoints('😀😀😀', 3)).toBe('😀😀😀'); // 6 UTF-16 units, 3 code points
    expect(truncateCodePoints('', 1)).toBe('');
  });

  it('cuts to the bound with an ellipsis, never inside a surrogate pair', () => {
    expect(truncateCodePoints('abcdef', 4)).toBe('abc…');
    const cut = truncateCodePoints('a😀😀😀😀', 3);
    expect(cut).toBe('a😀…');
    expect([...cut]).toHaveLength(3);
    expect(hasLoneSurrogate('a\ud83d')).toBe(true);
    expect(hasLoneSurrogate(cut)).toBe(false);
    expect(hasLoneSurrogate(truncateCodePoints('😀'.repeat(10_000), 1_001))).toBe(false);
  });
});
