import { flushPromises, mount } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { h } from 'vue';
import { useSessionStore } from '@/stores/session';
import { makeTenant, makeUser } from '@/test/factories';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { createTestI18n } from '@/test/i18n';
import SettingsView from './SettingsView.vue';

function mountSettings(tenant = makeTenant()) {
  useSessionStore().tenant = tenant;
  return mount(NMessageProvider, {
    slots: { default: () => h(SettingsView) },
    global: { plugins: [createTestI18n()], stubs: { CopyField: true } },
    attachTo: document.body,
  });
}

describe('SettingsView: automatic close and the reminder', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    document.body.innerHTML = '';
  });

  it('explains that chats stay open while automatic close is off, then saves the minutes', async () => {
    const tenant = makeTenant();
    const fetchStub = stubFetch({
      'PATCH /api/tenant': jsonResponse(200, { tenant: { ...tenant, autoCloseAfterMinutes: 60 } }),
    });
    const wrapper = mountSettings(tenant);
    expect(wrapper.text()).toContain('Off: chats stay open until an operator closes them.');
    expect(wrapper.find('#settings-auto-close-minutes').exists()).toBe(false);
    expect(wrapper.text()).toContain('the operator’s reminder starts repeating');

    await wrapper.get('[data-testid="settings-auto-close"]').trigger('click');
    expect(wrapper.get<HTMLInputElement>('#settings-auto-close-minutes').element.value).toBe('60');
    expect(wrapper.text()).toContain('up to a week');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    const patch = fetchStub.requests.find((request) => request.method === 'PATCH');
    expect(patch?.body).toEqual({ autoCloseAfterMinutes: 60 });
  });

  it('turns automatic close off by sending null', async () => {
    const tenant = makeTenant({ autoCloseAfterMinutes: 45 });
    const fetchStub = stubFetch({
      'PATCH /api/tenant': jsonResponse(200, {
        tenant: { ...tenant, autoCloseAfterMinutes: null },
      }),
    });
    const wrapper = mountSettings(tenant);
    expect(wrapper.get<HTMLInputElement>('#settings-auto-close-minutes').element.value).toBe('45');

    await wrapper.get('[data-testid="settings-auto-close"]').trigger('click');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(fetchStub.requests.find((request) => request.method === 'PATCH')?.body).toEqual({
      autoCloseAfterMinutes: null,
    });
  });
});

describe('SettingsView: two-factor for admins', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    document.body.innerHTML = '';
  });

  it('saves the switch; an admin without two-factor who turns it on must set it up next', async () => {
    const tenant = makeTenant();
    const { requests } = stubFetch({
      'PATCH /api/tenant': jsonResponse(200, { tenant: { ...tenant, require2faForAdmins: true } }),
    });
    const session = useSessionStore();
    session.token = 'jwt';
    session.user = makeUser({ role: 'admin', twoFactorEnabled: false });
    const wrapper = mountSettings(tenant);

    await wrapper.get('[data-testid="settings-require-2fa"]').trigger('click');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(requests[0]?.body).toEqual({ require2faForAdmins: true });
    expect(session.tenant?.require2faForAdmins).toBe(true);
    expect(session.isTwoFactorSetupRequired).toBe(true);
  });

  it('an admin who has two-factor carries on', async () => {
    const tenant = makeTenant();
    stubFetch({
      'PATCH /api/tenant': jsonResponse(200, { tenant: { ...tenant, require2faForAdmins: true } }),
    });
    const session = useSessionStore();
    session.token = 'jwt';
    session.user = makeUser({ role: 'admin', twoFactorEnabled: true });
    const wrapper = mountSettings(tenant);

    await wrapper.get('[data-testid="settings-require-2fa"]').trigger('click');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(session.isTwoFactorSetupRequired).toBe(false);
  });
});

describe('SettingsView: satisfaction survey', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    document.body.innerHTML = '';
  });

  it("shows the default question of the tenant's language as placeholder, and saves the switch with a question", async () => {
    const tenant = makeTenant({ language: 'ru' });
    const fetchStub = stubFetch({
      'PATCH /api/tenant': jsonResponse(200, {
        tenant: { ...tenant, csat: { enabled: true, question: 'Rate us?' } },
      }),
    });
    const wrapper = mountSettings(tenant);
    const question = wrapper.get<HTMLTextAreaElement>('#settings-csat-question');
    expect(question.element.placeholder).toBe(
      'Как вы оцениваете нашу помощь? Выберите от 1 (плохо) до 5 (отлично).',
    );
    expect(wrapper.text()).toContain('Later closes send nothing.');

    await wrapper.get('[data-testid="settings-csat-enabled"]').trigger('click');
    await question.setValue('  Rate us?  ');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(fetchStub.requests.find((request) => request.method === 'PATCH')?.body).toEqual({
      csat: { enabled: true, question: 'Rate us?' },
    });
  });

  it('sends null for an emptied question (the default again)', async () => {
    const tenant = makeTenant({ csat: { enabled: true, question: 'Rate us?' } });
    const fetchStub = stubFetch({
      'PATCH /api/tenant': jsonResponse(200, {
        tenant: { ...tenant, csat: { enabled: true, question: null } },
      }),
    });
    const wrapper = mountSettings(tenant);
    await wrapper.get('#settings-csat-question').setValue('');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(fetchStub.requests.find((request) => request.method === 'PATCH')?.body).toEqual({
      csat: { enabled: true, question: null },
    });
  });
});
