import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createTestI18n } from '@/test/i18n';
import ConnectionLostBanner from './ConnectionLostBanner.vue';

describe('ConnectionLostBanner', () => {
  it('says the connection is lost and being retried, politely to screen readers', () => {
    const wrapper = mount(ConnectionLostBanner, { global: { plugins: [createTestI18n()] } });
    expect(wrapper.text()).toBe('Connection to Omni lost, retrying…');
    expect(wrapper.attributes('role')).toBe('status');
  });
});
