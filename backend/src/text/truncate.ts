/** Appended to a text that was cut, so a reader knows there was more. */
const ELLIPSIS = '…';

/**
 * At most `maxCodePoints` code points of `text`, the last one an ellipsis when it was cut.
 * Cut by code points, never by UTF-16 units: `slice` can split a surrogate pair (an emoji),
 * and a lone surrogate becomes U+FFFD in a text column and makes PostgreSQL refuse the whole
 * jsonb value, so the statement that stores a diagnosis would fail.
 */
export function truncateCodePoints(text: string, maxCodePoints: number): string {
  // A string has at least as many UTF-16 units as code points: short ones need no count.
  if (text.length <= maxCodePoints) return text;
  let kept = '';
  let count = 0;
  for (const codePoint of text) {
    if (count === maxCodePoints - 1) {
      // Exactly maxCodePoints code points: the text fits after all.
      return kept.length + codePoint.length === text.length ? text : kept + ELLIPSIS;
    }
    kept += codePoint;
    count++;
  }
  return text;
}
