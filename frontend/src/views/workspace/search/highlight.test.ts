import { describe, expect, it } from 'vitest';
import { highlightParts } from './highlight';

describe('highlighting a search snippet', () => {
  it('marks every occurrence in any case, keeping the text as it is', () => {
    expect(highlightParts('Parcel 4711: where is my PARCEL?', 'parcel')).toEqual([
      { text: 'Parcel', isMatch: true },
      { text: ' 4711: where is my ', isMatch: false },
      { text: 'PARCEL', isMatch: true },
      { text: '?', isMatch: false },
    ]);
  });

  it('treats markup and regular-expression characters as plain text', () => {
    const parts = highlightParts('<b>a+b</b> (x)', 'a+b');
    expect(parts).toEqual([
      { text: '<b>', isMatch: false },
      { text: 'a+b', isMatch: true },
      { text: '</b> (x)', isMatch: false },
    ]);
  });

  it('matches across any whitespace, in Cyrillic and Bengali too', () => {
    expect(highlightParts('Где мой  ЗАКАЗ?', 'мой заказ').filter((part) => part.isMatch)).toEqual([
      { text: 'мой  ЗАКАЗ', isMatch: true },
    ]);
    expect(highlightParts('আমার অর্ডার কোথায়', 'অর্ডার')[1]).toEqual({
      text: 'অর্ডার',
      isMatch: true,
    });
  });

  it('leaves the text whole without a query or a match', () => {
    expect(highlightParts('hello', '  ')).toEqual([{ text: 'hello', isMatch: false }]);
    expect(highlightParts('hello', 'zzz')).toEqual([{ text: 'hello', isMatch: false }]);
    expect(highlightParts('', 'a')).toEqual([]);
  });
});
