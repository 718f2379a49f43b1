import { describe, expect, it } from 'vitest';
import { findMentionedColleagues } from './note-mentions.js';

const anna = { id: 'anna', name: 'Anna' };
const annaPetrova = { id: 'anna-petrova', name: 'Anna Petrova' };
const ivan = { id: 'ivan', name: 'Иван Смирнов' };

describe('findMentionedColleagues', () => {
  it('finds names of several words, whatever their case, in order and once each', () => {
    expect(
      findMentionedColleagues('@иван смирнов and @Anna Petrova, see @Иван Смирнов', [
        anna,
        annaPetrova,
        ivan,
      ]),
    ).toEqual(['ivan', 'anna-petrova']);
  });

  it('takes the longest name at each @, and a shorter one where only it fits', () => {
    expect(findMentionedColleagues('@Anna Petrova', [anna, annaPetrova])).toEqual(['anna-petrova']);
    expect(findMentionedColleagues('@Anna Pet, look', [anna, annaPetrova])).toEqual(['anna']);
  });

  it('needs the name to end with a word, and the @ to start one', () => {
    expect(findMentionedColleagues('@Annabel', [anna])).toEqual([]);
    expect(findMentionedColleagues('mail anna@example.com', [anna])).toEqual([]);
    expect(findMentionedColleagues('(@Anna)', [anna])).toEqual(['anna']);
    expect(findMentionedColleagues('Anna, no at sign', [anna])).toEqual([]);
  });

  it('ignores colleagues without a name', () => {
    expect(findMentionedColleagues('@ hello', [{ id: 'blank', name: '  ' }])).toEqual([]);
  });
});
