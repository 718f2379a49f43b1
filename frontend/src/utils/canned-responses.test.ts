import { describe, expect, it } from 'vitest';
import type { CannedResponse } from '@/api/types';
import { makeConversation } from '@/test/factories';
import {
  fillTemplate,
  findSlashQuery,
  insertCannedResponse,
  matchCannedResponses,
  splitTemplate,
  templateValuesFor,
} from './canned-responses';

const values = {
  'visitor.first_name': 'Anna',
  'visitor.name': 'Anna Petrova',
  'operator.name': 'Boris',
  'page.name': 'Acme Shoes',
};

describe('fillTemplate', () => {
  it('fills every variable in, however often it appears and with spaces inside the braces', () => {
    expect(
      fillTemplate(
        'Hi {{visitor.first_name}}! I am {{ operator.name }} from {{page.name}}. ({{visitor.name}}, {{visitor.first_name}})',
        values,
      ),
    ).toBe('Hi Anna! I am Boris from Acme Shoes. (Anna Petrova, Anna)');
  });

  it('never leaves braces behind: a missing or unknown value becomes nothing', () => {
    const noName = { ...values, 'visitor.first_name': null, 'visitor.name': '' };
    expect(fillTemplate('Hi {{visitor.first_name}}, how can I help?', noName)).toBe(
      'Hi, how can I help?',
    );
    expect(fillTemplate('Hi {{visitor.first_name}}!', noName)).toBe('Hi!');
    expect(fillTemplate('Dear {{visitor.name}} welcome', noName)).toBe('Dear welcome');
    expect(fillTemplate('Hi {{visitor.first_name}}', noName)).toBe('Hi');
    expect(fillTemplate('{{unknown.thing}}Hello {{visitor.age}}.', values)).toBe('Hello.');
    expect(fillTemplate('Hi {{visitor.first_name}}', {})).toBe('Hi');
  });

  it('leaves other text alone, including a value that looks like a variable', () => {
    expect(fillTemplate('Price: {single} and $& and  two  spaces', values)).toBe(
      'Price: {single} and $& and  two  spaces',
    );
    expect(
      fillTemplate('Hi {{visitor.first_name}}', { 'visitor.first_name': '{{operator.name}} $1' }),
    ).toBe('Hi {{operator.name}} $1');
  });
});

describe('templateValuesFor', () => {
  it("uses the visitor's Facebook names, not the placeholder shown for a visitor without one", () => {
    const conversation = makeConversation({
      channel: { type: 'facebook', pageId: '1', pageName: 'Acme Shoes' },
    });
    conversation.contact = {
      ...conversation.contact,
      name: 'Facebook user 1234',
      firstName: null,
      lastName: null,
    };
    expect(templateValuesFor(conversation, 'Boris')).toEqual({
      'visitor.first_name': null,
      'visitor.name': '',
      'operator.name': 'Boris',
      'page.name': 'Acme Shoes',
    });
    conversation.contact = { ...conversation.contact, firstName: 'Anna', lastName: 'Petrova' };
    expect(templateValuesFor(conversation, null)['visitor.name']).toBe('Anna Petrova');
  });
});

describe('findSlashQuery', () => {
  it('finds a / at the start of a word before the caret', () => {
    expect(findSlashQuery('/he', 3)).toEqual({ start: 0, end: 3, query: 'he' });
    expect(findSlashQuery('Hello /pri', 10)).toEqual({ start: 6, end: 10, query: 'pri' });
    expect(findSlashQuery('a\n/', 3)).toEqual({ start: 2, end: 3, query: '' });
  });

  it('ignores slashes inside words, links and finished words', () => {
    expect(findSlashQuery('and/or', 6)).toBeNull();
    expect(findSlashQuery('see https://x.io/a', 18)).toBeNull();
    expect(findSlashQuery('/hello there', 12)).toBeNull();
    expect(findSlashQuery('/hello there', 3)).toEqual({ start: 0, end: 3, query: 'he' });
  });
});

describe('insertCannedResponse', () => {
  it('replaces the /query and puts the caret after the text', () => {
    const text = 'Sure. /pri';
    expect(insertCannedResponse(text, { start: 6, end: 10, query: 'pri' }, 'Prices: $5')).toEqual({
      text: 'Sure. Prices: $5',
      caret: 16,
    });
    expect(insertCannedResponse('/hi!', { start: 0, end: 3, query: 'hi' }, 'Hello')).toEqual({
      text: 'Hello !',
      caret: 6,
    });
  });
});

describe('matchCannedResponses', () => {
  const response = (shortcut: string, title: string | null, text: string) =>
    ({ id: shortcut, shortcut, title, text }) as CannedResponse;
  const items = [
    response('bye', 'Farewell', 'Goodbye and thanks'),
    response('hello', 'Greeting', 'Hi there'),
    response('prices', null, 'Our hello prices'),
    response('thanks', 'Say hello back', 'Thank you'),
  ];

  it('ranks shortcut prefixes, then shortcut or title matches, then text matches', () => {
    expect(matchCannedResponses(items, 'HEL').map((item) => item.shortcut)).toEqual([
      'hello',
      'thanks',
      'prices',
    ]);
    expect(matchCannedResponses(items, 'nothing')).toEqual([]);
    expect(matchCannedResponses(items, '')).toHaveLength(4);
  });
});

describe('splitTemplate', () => {
  it('sets the variables apart from the text around them', () => {
    expect(splitTemplate('Hi {{visitor.first_name}}, I am {{ operator.name }}')).toEqual([
      { text: 'Hi ', isVariable: false },
      { text: '{{visitor.first_name}}', isVariable: true },
      { text: ', I am ', isVariable: false },
      { text: '{{ operator.name }}', isVariable: true },
    ]);
    expect(splitTemplate('plain')).toEqual([{ text: 'plain', isVariable: false }]);
  });
});
