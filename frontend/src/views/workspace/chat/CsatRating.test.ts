import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createTestI18n } from '@/test/i18n';
import CsatRating from './CsatRating.vue';

describe('CsatRating', () => {
  it("shows the visitor's score out of 5 with the time they answered", () => {
    const wrapper = mount(CsatRating, {
      props: { csat: { score: 4, answeredAt: '2025-01-15T10:30:00.000Z' } },
      global: { plugins: [createTestI18n()] },
    });
    const rating = wrapper.get('[data-testid="chat-csat"]');
    expect(rating.text()).toContain('★');
    expect(rating.text()).toContain('4/5');
    expect(rating.text()).toMatch(/2025|Jan/);
    expect(rating.attributes('title')).toMatch(/^The visitor rated this chat 4 of 5 on /);
  });
});
