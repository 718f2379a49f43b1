import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { makeConversation } from '@/test/factories';
import { createTestI18n } from '@/test/i18n';
import SearchResultRow from './SearchResultRow.vue';

function render(snippet: string, query: string) {
  const item = { ...makeConversation({ status: 'closed' }), match: { messageId: 'm1', snippet } };
  return mount(SearchResultRow, {
    props: { item, query, isSelected: false },
    global: { plugins: [createTestI18n()] },
  });
}

describe('a search result', () => {
  it('shows the snippet with the match marked', () => {
    const view = render('…where is my PARCEL 4711?', 'parcel');
    const snippet = view.get('[data-testid="search-result-snippet"]');
    expect(snippet.text()).toBe('…where is my PARCEL 4711?');
    expect(snippet.findAll('mark').map((mark) => mark.text())).toEqual(['PARCEL']);
  });

  it('shows markup a visitor wrote as text, never as HTML', () => {
    const view = render('<img src=x onerror=alert(1)> parcel', 'parcel');
    const snippet = view.get('[data-testid="search-result-snippet"]');
    expect(snippet.find('img').exists()).toBe(false);
    expect(snippet.text()).toContain('<img src=x onerror=alert(1)>');
    expect(snippet.get('mark').text()).toBe('parcel');
  });
});
