/** Characters of context kept before the match and in all (about two lines of the list). */
const CONTEXT_BEFORE = 30;
const SNIPPET_LENGTH = 120;

/**
 * A short excerpt of `text` around the first place `query` occurs in it (any case), for a
 * search result: whitespace folded, cut at code points (never inside a surrogate pair or
 * between a letter and its combining marks) and preferably at a word, `…` where it was cut.
 * Without an occurrence JavaScript can find (PostgreSQL's case folding may differ for a few
 * letters) it is the beginning of the text.
 */
export function makeSnippet(text: string, query: string): string {
  const characters = Array.from(text.replace(/\s+/g, ' ').trim());
  const flat = characters.join('');
  const needle = query.trim().replace(/\s+/g, ' ');
  const found = needle
    ? flat.search(new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu'))
    : -1;
  // The match's position counted in code points, as `characters` is.
  const matchAt = found < 0 ? 0 : Array.from(flat.slice(0, found)).length;
  const matchLength = found < 0 ? 0 : Array.from(needle).length;

  let start = Math.max(0, matchAt - CONTEXT_BEFORE);
  // Start at a word when one begins near, rather than in the middle of one.
  if (start > 0) {
    const space = characters.slice(start, matchAt).indexOf(' ');
    if (space >= 0 && space < matchAt - start) start += space + 1;
  }
  let end = Math.min(characters.length, Math.max(start + SNIPPET_LENGTH, matchAt + matchLength));
  if (end < characters.length) {
    const space = characters.slice(matchAt + matchLength, end).lastIndexOf(' ');
    if (space > 0) end = matchAt + matchLength + space;
  }
  start = withMarks(characters, start, -1);
  end = withMarks(characters, end, 1);
  const excerpt = characters.slice(start, end).join('').trim();
  return `${start > 0 ? '…' : ''}${excerpt}${end < characters.length ? '…' : ''}`;
}

/** Moves a cut off combining marks (and joiners) so that no letter loses its accent. */
function withMarks(characters: string[], at: number, step: -1 | 1): number {
  let position = at;
  const isMark = (index: number) =>
    index >= 0 && index < characters.length && /^(?:\p{M}|\u200d)$/u.test(characters[index] ?? '');
  if (step < 0) while (position > 0 && isMark(position)) position -= 1;
  else while (position < characters.length && isMark(position)) position += 1;
  return position;
}
