import { truncateCodePoints } from './truncate.js';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `text` as PostgreSQL can store it in a text or jsonb value: U+0000 dropped (neither type
 * holds it) and lone surrogates (half an emoji, which JSON escapes happily) replaced with
 * U+FFFD; optionally cut to `maxCodePoints` (truncateCodePoints, never inside a pair).
 * Anything that came from a webhook or quotes it goes through this before it is written,
 * so what a visitor typed can never make a statement fail.
 */
export function toStorableText(text: string, maxCodePoints?: number): string {
  const storable = text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
  return maxCodePoints === undefined ? storable : truncateCodePoints(storable, maxCodePoints);
}

/** Whether `text` is stored unchanged by toStorableText (no U+0000, no lone surrogate). */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !new RegExp(LONE_SURROGATE.source).test(text);
}
