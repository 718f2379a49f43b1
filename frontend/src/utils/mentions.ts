import type { Colleague } from '@/api/types';

/** The `@name` being typed at the caret: where the `@` is, and what follows it. */
export type MentionQuery = { start: number; end: number; query: string };

/** Names are a few words: a longer run after `@` is a sentence, not a name being typed. */
const MAX_QUERY_LENGTH = 60;

/**
 * The mention being typed: an `@` at the start of a word, then the text up to the caret,
 * which may have spaces ("@Anna Pe") but no line break and no other `@`.
 */
export function findMentionQuery(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const start = before.lastIndexOf('@');
  if (start < 0 || (start > 0 && !/\s/.test(before.charAt(start - 1)))) return null;
  const query = before.slice(start + 1);
  if (query.length > MAX_QUERY_LENGTH || /[\n@]/.test(query) || /^\s/.test(query)) return null;
  return { start, end: caret, query };
}

/**
 * Colleagues whose name starts with the query, then those with a later word starting with
 * it; case-insensitive, alphabetical within each. An empty query lists everyone.
 */
export function matchColleagues(colleagues: Colleague[], query: string): Colleague[] {
  const needle = query.toLocaleLowerCase();
  const rank = (colleague: Colleague): number => {
    const name = colleague.name.toLocaleLowerCase();
    if (name.startsWith(needle)) return 0;
    return name.split(/\s+/).some((word) => word.startsWith(needle)) ? 1 : 2;
  };
  return colleagues
    .map((colleague) => ({ colleague, rank: rank(colleague) }))
    .filter(({ rank }) => rank < 2)
    .sort((a, b) => a.rank - b.rank || a.colleague.name.localeCompare(b.colleague.name))
    .map(({ colleague }) => colleague);
}

/** Replaces the `@query` with `@Name ` (the server reads it back); returns the text and caret. */
export function insertMention(
  text: string,
  mention: MentionQuery,
  name: string,
): { text: string; caret: number } {
  const inserted = `@${name} `;
  const after = text.slice(mention.end).replace(/^ /, '');
  return {
    text: text.slice(0, mention.start) + inserted + after,
    caret: mention.start + inserted.length,
  };
}

/** The chosen colleagues whose `@Name` is still in the text, for the note's `mentions`. */
export function mentionedIds(text: string, chosen: Colleague[]): string[] {
  const lower = text.toLocaleLowerCase();
  return [
    ...new Set(
      chosen
        .filter((colleague) => lower.includes(`@${colleague.name.toLocaleLowerCase()}`))
        .map((colleague) => colleague.id),
    ),
  ];
}

/** A run of a note's text: plain, or an `@Name` of a mentioned colleague. */
export type NoteSegment = { text: string; isMention: boolean };

/**
 * A note's text cut where it mentions `names` (`@Name`, case-insensitive, the longest name
 * first so "@Anna Petrova" wins over "@Anna"), for the history to highlight them.
 */
export function splitMentions(text: string, names: string[]): NoteSegment[] {
  const wanted = [...new Set(names.filter((name) => name.trim() !== ''))].sort(
    (a, b) => b.length - a.length,
  );
  if (wanted.length === 0) return [{ text, isMention: false }];
  const escaped = wanted.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`@(?:${escaped.join('|')})`, 'giu');
  const segments: NoteSegment[] = [];
  let from = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > from)
      segments.push({ text: text.slice(from, match.index), isMention: false });
    segments.push({ text: match[0], isMention: true });
    from = match.index + match[0].length;
  }
  if (from < text.length) segments.push({ text: text.slice(from), isMention: false });
  return segments;
}
