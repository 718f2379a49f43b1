import { describe, expect, it } from 'vitest';
import {
  findMentionQuery,
  insertMention,
  matchColleagues,
  mentionedIds,
  splitMentions,
} from './mentions';

const anna = { id: 'a', name: 'Anna Petrova' };
const boris = { id: 'b', name: 'Boris Ivanov' };
const petr = { id: 'p', name: 'Petr Sokolov' };

describe('mentions', () => {
  it('finds the @name typed at the caret, spaces included, but not inside a word', () => {
    expect(findMentionQuery('ask @Anna Pe', 12)).toEqual({ start: 4, end: 12, query: 'Anna Pe' });
    expect(findMentionQuery('@', 1)).toEqual({ start: 0, end: 1, query: '' });
    expect(findMentionQuery('mail anna@example', 17)).toBeNull();
    expect(findMentionQuery('@ Anna', 6)).toBeNull();
    expect(findMentionQuery('@Anna\nthanks', 12)).toBeNull();
    expect(findMentionQuery('no mention here', 15)).toBeNull();
  });

  it('ranks names that start with the query before later words, alphabetically', () => {
    expect(matchColleagues([petr, boris, anna], '')).toEqual([anna, boris, petr]);
    expect(matchColleagues([petr, boris, anna], 'pe')).toEqual([petr, anna]);
    expect(matchColleagues([petr, boris, anna], 'anna p')).toEqual([anna]);
    expect(matchColleagues([petr, boris, anna], 'zed')).toEqual([]);
  });

  it('inserts the whole name with a space after it, and keeps the ids still named', () => {
    const query = findMentionQuery('Hi @bo please', 6)!;
    expect(insertMention('Hi @bo please', query, 'Boris Ivanov')).toEqual({
      text: 'Hi @Boris Ivanov please',
      caret: 17,
    });
    expect(mentionedIds('@boris ivanov and @Anna', [anna, boris])).toEqual(['b']);
  });

  it('cuts a note where it mentions a colleague, the longest name first, any case', () => {
    expect(
      splitMentions('@anna petrova please ask @Anna and @Boris Ivanov.', [
        'Anna',
        'Anna Petrova',
        'Boris Ivanov',
      ]),
    ).toEqual([
      { text: '@anna petrova', isMention: true },
      { text: ' please ask ', isMention: false },
      { text: '@Anna', isMention: true },
      { text: ' and ', isMention: false },
      { text: '@Boris Ivanov', isMention: true },
      { text: '.', isMention: false },
    ]);
    expect(splitMentions('mail a@b (c)', ['b (c'])).toEqual([
      { text: 'mail a', isMention: false },
      { text: '@b (c', isMention: true },
      { text: ')', isMention: false },
    ]);
    expect(splitMentions('no one here', [])).toEqual([{ text: 'no one here', isMention: false }]);
  });
});
