import { mount } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { configureHttpAuth } from '@/api/http';
import { usePresence } from '@/composables/use-presence';
import { useSessionStore } from '@/stores/session';
import { makeTenant, makeUser } from '@/test/factories';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { createTestI18n } from '@/test/i18n';
import PresenceSwitch from './PresenceSwitch.vue';

describe('PresenceSwitch', () => {
  function mountSwitch(status: 'online' | 'away' | 'offline') {
    return mount(PresenceSwitch, {
      props: { status },
      global: { plugins: [createTestI18n()] },
    });
  }

  it('shows the three statuses with the current one checked', () => {
    const wrapper = mountSwitch('away');

    const options = wrapper.findAll('[role="radio"]');
    expect(options.map((option) => option.text())).toEqual(['Online', 'Away', 'Offline']);
    expect(wrapper.get('[data-testid="presence-away"]').attributes('aria-checked')).toBe('true');
    expect(wrapper.get('[data-testid="presence-online"]').attributes('aria-checked')).toBe('false');
  });

  it('emits change with the chosen status', async () => {
    const wrapper = mountSwitch('offline');

    await wrapper.get('[data-testid="presence-online"]').trigger('click');

    expect(wrapper.emitted('change')).toEqual([['online']]);
  });

  it('does not emit when the current status is clicked again', async () => {
    const wrapper = mountSwitch('online');

    await wrapper.get('[data-testid="presence-online"]').trigger('click');

    expect(wrapper.emitted('change')).toBeUndefined();
  });

  it('moves with the arrow keys, wrapping around', async () => {
    const wrapper = mountSwitch('offline');

    await wrapper.get('[data-testid="presence-offline"]').trigger('keydown', { key: 'ArrowRight' });

    expect(wrapper.emitted('change')).toEqual([['online']]);
  });
});

describe('PresenceSwitch wired through usePresence', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  // The top bar's wiring in miniature: the switch shows the store and calls setStatus.
  const Harness = defineComponent({
    setup() {
      const { status, changeStatus } = usePresence();
      return () => h(PresenceSwitch, { status: status.value, onChange: changeStatus });
    },
  });

  async function mountWithSession(status: 'online' | 'away' | 'offline') {
    const user = makeUser({ status });
    const routes = {
      'POST /api/auth/login': jsonResponse(200, { token: 'jwt', user, tenant: makeTenant() }),
    };
    const fetchStub = stubFetch(routes);
    const session = useSessionStore();
    configureHttpAuth({ getToken: () => session.token, onUnauthenticated: () => {} });
    await session.login({ email: user.email, password: 'secret123' });
    const wrapper = mount(NMessageProvider, {
      slots: { default: () => h(Harness) },
      global: { plugins: [createTestI18n()] },
      attachTo: document.body,
    });
    return { wrapper, session, user, routes: routes as Record<string, Response>, fetchStub };
  }

  it('clicking an option calls PUT /api/me/status and updates the session', async () => {
    const { wrapper, session, user, routes, fetchStub } = await mountWithSession('offline');
    routes['PUT /api/me/status'] = jsonResponse(200, { user: { ...user, status: 'online' } });

    await wrapper.get('[data-testid="presence-online"]').trigger('click');
    await new Promise((resolve) => setTimeout(resolve, 0));

    const statusCall = fetchStub.requests.find((r) => r.path === '/api/me/status');
    expect(statusCall?.method).toBe('PUT');
    expect(statusCall?.body).toEqual({ status: 'online' });
    expect(session.status).toBe('online');
    expect(wrapper.get('[data-testid="presence-online"]').attributes('aria-checked')).toBe('true');
    wrapper.unmount();
  });

  it('moves back and says so when the server refuses', async () => {
    const { wrapper, session, routes } = await mountWithSession('away');
    routes['PUT /api/me/status'] = errorResponse(403, 'FORBIDDEN', 'Nope');

    await wrapper.get('[data-testid="presence-online"]').trigger('click');
    await new Promise((resolve) => setTimeout(resolve, 10));

    expect(session.status).toBe('away');
    expect(document.body.textContent).toContain('Could not change your status.');
    wrapper.unmount();
  });
});
