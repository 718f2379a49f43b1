import { describe, expect, it } from 'vitest';
import { isStorableText, toStorableText } from './storable-text.js';

describe('toStorableText', () => {
  it('drops U+0000 and replaces lone surrogates, keeping whole emoji', () => {
    expect(toStorableText('a\u0000b')).toBe('ab');
    expect(toStorableText('x\ud83d')).toBe('x\ufffd');
    expect(toStorableText('\ude00y')).toBe('\ufffdy');
    expect(toStorableText('\ude00\ud83d')).toBe('\ufffd\ufffd');
    expect(toStorableText('ok 😀 ok')).toBe('ok 😀 ok');
  });

  it('cuts by code points after cleaning', () => {
    expect(toStorableText('\u0000😀😀😀', 2)).toBe('😀…');
  });

  it('tells storable texts apart', () => {
    expect(isStorableText('hello 😀')).toBe(true);
    expect(isStorableText('a\u0000')).toBe(false);
    expect(isStorableText('\ud83d')).toBe(false);
  });
});
