import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { FacebookPageStatus } from '@/api/types';
import { createTestI18n } from '@/test/i18n';
import PageSetupChecklist from './PageSetupChecklist.vue';

const STEP_IDS = [
  'checklist-token',
  'checklist-permissions',
  'checklist-webhook',
  'checklist-subscribed',
  'checklist-first-message',
];

function mountChecklist(status: Partial<FacebookPageStatus>) {
  return mount(PageSetupChecklist, {
    props: {
      status: {
        tokenValid: false,
        missingPermissions: [],
        healthCheckedAt: null,
        webhookVerifiedAt: null,
        subscribed: false,
        lastEventAt: null,
        lastError: null,
        ...status,
      },
    },
    global: { plugins: [createTestI18n()] },
  });
}

function doneFlags(wrapper: ReturnType<typeof mountChecklist>): string[] {
  return STEP_IDS.map((id) => wrapper.get(`[data-testid="${id}"]`).attributes('data-done') ?? '');
}

describe('PageSetupChecklist', () => {
  it('shows the five steps in order, all grey for a fresh page with a bad token', () => {
    const wrapper = mountChecklist({});

    expect(wrapper.findAll('li').map((li) => li.attributes('data-testid'))).toEqual(STEP_IDS);
    expect(doneFlags(wrapper)).toEqual(['false', 'false', 'false', 'false', 'false']);
    expect(wrapper.text()).toContain('Facebook no longer accepts the token.');
    expect(wrapper.text()).toContain('Checked once Facebook accepts the token.');
    expect(wrapper.text()).toContain('Paste the callback URL and confirmation code');
  });

  it('turns steps green as the status reports them', () => {
    const wrapper = mountChecklist({
      tokenValid: true,
      subscribed: true,
      webhookVerifiedAt: '2025-02-01T10:00:00.000Z',
    });

    expect(doneFlags(wrapper)).toEqual(['true', 'true', 'true', 'true', 'false']);
    expect(wrapper.get('[data-testid="checklist-webhook"]').text()).toContain(
      'Facebook checked the callback URL on',
    );
    expect(wrapper.get('[data-testid="checklist-webhook"]').text()).toContain('2025');
    expect(wrapper.get('[data-testid="checklist-first-message"]').text()).toContain(
      'Write to the page in Messenger',
    );
  });

  it('marks the first message once an event arrived', async () => {
    const wrapper = mountChecklist({ tokenValid: true });
    await wrapper.setProps({
      status: {
        tokenValid: true,
        missingPermissions: [],
        healthCheckedAt: null,
        webhookVerifiedAt: '2025-02-01T10:00:00.000Z',
        subscribed: true,
        lastEventAt: '2025-02-01T10:05:00.000Z',
        lastError: null,
      },
    });

    expect(doneFlags(wrapper)).toEqual(['true', 'true', 'true', 'true', 'true']);
    expect(wrapper.findAll('.check-list__item--done')).toHaveLength(5);
  });

  it('names each permission the token lacks', () => {
    const wrapper = mountChecklist({
      tokenValid: true,
      missingPermissions: ['pages_messaging', 'pages_show_list'],
    });
    const step = wrapper.get('[data-testid="checklist-permissions"]');
    expect(step.attributes('data-done')).toBe('false');
    expect(step.text()).toContain('Missing: pages_messaging, pages_show_list.');
  });
});
