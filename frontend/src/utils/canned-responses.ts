import type { CannedResponse, Conversation } from '@/api/types';

/** The variables a canned response may use (api.md, Operator tools). */
export type TemplateValues = {
  'visitor.first_name': string | null;
  'visitor.name': string | null;
  'operator.name': string | null;
  'page.name': string | null;
};

export function templateValuesFor(
  conversation: Pick<Conversation, 'contact' | 'channel'>,
  operatorName: string | null,
): TemplateValues {
  const { firstName, lastName } = conversation.contact;
  // Not contact.name: without a profile it reads "Facebook user 1234", no way to greet anyone.
  const fullName = [firstName, lastName].filter(Boolean).join(' ');
  return {
    'visitor.first_name': firstName,
    'visitor.name': fullName,
    'operator.name': operatorName,
    'page.name': conversation.channel.pageName,
  };
}

const PLACEHOLDER = /( ?)\{\{\s*([\w.]+)\s*\}\}/g;
/** What may follow a dropped placeholder without the space before it. */
const CLOSES_PHRASE = /^[\s,.!?;:)…]?$/;

/**
 * Fills `{{visitor.first_name}}` and the like in. An unknown variable or a missing value
 * becomes nothing, never the raw braces, and takes its leading space with it when the
 * sentence goes on with punctuation: "Hi {{visitor.first_name}}, …" becomes "Hi, …".
 */
export function fillTemplate(text: string, values: Partial<TemplateValues>): string {
  return text.replace(PLACEHOLDER, (match, space: string, name: string, offset: number) => {
    const value = (values[name as keyof TemplateValues] ?? '').trim();
    if (value) return `${space}${value}`;
    const next = text.charAt(offset + match.length);
    return CLOSES_PHRASE.test(next) ? '' : space;
  });
}

/** The `/query` being typed at the caret: a `/` at the start of a word, then no space. */
export type SlashQuery = { start: number; end: number; query: string };

export function findSlashQuery(text: string, caret: number): SlashQuery | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([^\s/]*)$/.exec(before);
  if (!match) return null;
  const start = caret - match[2]!.length - 1;
  return { start, end: caret, query: match[2]! };
}

/**
 * The responses whose shortcut starts with the query first, then those whose shortcut or
 * title contains it, then those whose text does; case-insensitive.
 */
export function matchCannedResponses(items: CannedResponse[], query: string): CannedResponse[] {
  const needle = query.toLocaleLowerCase();
  if (!needle) return items;
  const rank = (item: CannedResponse): number => {
    const shortcut = item.shortcut.toLocaleLowerCase();
    if (shortcut.startsWith(needle)) return 0;
    if (shortcut.includes(needle) || item.title?.toLocaleLowerCase().includes(needle)) return 1;
    if (item.text.toLocaleLowerCase().includes(needle)) return 2;
    return 3;
  };
  return items
    .map((item) => ({ item, rank: rank(item) }))
    .filter(({ rank }) => rank < 3)
    .sort((a, b) => a.rank - b.rank)
    .map(({ item }) => item);
}

/** Replaces the `/query` with the filled text; returns the new text and where the caret goes. */
export function insertCannedResponse(
  text: string,
  slash: SlashQuery,
  filled: string,
): { text: string; caret: number } {
  const after = text.slice(slash.end);
  const joiner = after && !/^\s/.test(after) ? ' ' : '';
  const inserted = `${filled}${joiner}`;
  return {
    text: `${text.slice(0, slash.start)}${inserted}${after}`,
    caret: slash.start + inserted.length,
  };
}

/** The text in pieces, variables apart, for showing them as what they are. */
export function splitTemplate(text: string): { text: string; isVariable: boolean }[] {
  const parts: { text: string; isVariable: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{\{\s*[\w.]+\s*\}\}/g)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), isVariable: false });
    parts.push({ text: match[0], isVariable: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), isVariable: false });
  return parts;
}
