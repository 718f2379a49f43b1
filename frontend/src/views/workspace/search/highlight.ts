/** A piece of a text, and whether it is (part of) what was searched for. */
export interface TextPart {
  text: string;
  isMatch: boolean;
}

/**
 * Splits `text` at every occurrence of `query` (any case; whitespace in the query matches
 * any run of whitespace), for rendering the matches marked as text nodes — never as HTML.
 */
export function highlightParts(text: string, query: string): TextPart[] {
  const words = query.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0 || !text) return text ? [{ text, isMatch: false }] : [];
  const pattern = new RegExp(
    words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'),
    'giu',
  );
  const parts: TextPart[] = [];
  let position = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > position) parts.push({ text: text.slice(position, at), isMatch: false });
    parts.push({ text: match[0], isMatch: true });
    position = at + match[0].length;
  }
  if (position < text.length) parts.push({ text: text.slice(position), isMatch: false });
  return parts;
}
