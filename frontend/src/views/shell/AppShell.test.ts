import { flushPromises, mount } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useRealtimeConnectionStore } from '@/stores/realtime-connection';
import { useSessionStore } from '@/stores/session';
import { makeTenant, makeUser } from '@/test/factories';
import { createTestI18n } from '@/test/i18n';
import AppShell from './AppShell.vue';

describe('AppShell', () => {
  it('shows the "connection lost" banner while the realtime connection is retried', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const session = useSessionStore();
    session.token = 'jwt';
    session.user = makeUser();
    session.tenant = makeTenant();
    const Stub = { render: () => null };
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/', name: 'workspace', component: Stub }],
    });
    await router.push('/');
    // usePresence reports failures through naive-ui's message API, as in the app.
    const InProvider = defineComponent(() => () => h(NMessageProvider, () => h(AppShell)));
    const wrapper = mount(InProvider, {
      global: {
        plugins: [pinia, router, createTestI18n()],
        stubs: { AppSidebar: true, AppTopBar: true, ChangePasswordModal: true },
      },
    });
    const banner = 'Connection to Omni lost, retrying…';
    expect(wrapper.text()).not.toContain(banner);

    useRealtimeConnectionStore().markLost();
    await flushPromises();
    expect(wrapper.text()).toContain(banner);

    useRealtimeConnectionStore().markConnected();
    await flushPromises();
    expect(wrapper.text()).not.toContain(banner);
  });
});
