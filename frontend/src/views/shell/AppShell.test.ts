import { flushPromises, mount } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useMentionsStore } from '@/stores/mentions';
import { useRealtimeConnectionStore } from '@/stores/realtime-connection';
import { useSessionStore } from '@/stores/session';
import { makeMessage, makeTenant, makeUser } from '@/test/factories';
import { createTestI18n } from '@/test/i18n';
import AppShell from './AppShell.vue';

/** The shell of a signed-in user, in naive-ui's message provider as in the app. */
async function mountShell() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const session = useSessionStore();
  session.token = 'jwt';
  session.user = makeUser();
  session.tenant = makeTenant();
  const Stub = { render: () => null };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:conversationId?', name: 'workspace', component: Stub }],
  });
  await router.push('/');
  // usePresence reports failures through naive-ui's message API, as in the app.
  const InProvider = defineComponent(() => () => h(NMessageProvider, () => h(AppShell)));
  const wrapper = mount(InProvider, {
    attachTo: document.body,
    global: {
      plugins: [pinia, router, createTestI18n()],
      stubs: { AppSidebar: true, AppTopBar: true, ChangePasswordModal: true },
    },
  });
  return { wrapper, router };
}

describe('AppShell', () => {
  it('shows the "connection lost" banner while the realtime connection is retried', async () => {
    const { wrapper } = await mountShell();
    const banner = 'Connection to Omni lost, retrying…';
    expect(wrapper.text()).not.toContain(banner);

    useRealtimeConnectionStore().markLost();
    await flushPromises();
    expect(wrapper.text()).toContain(banner);

    useRealtimeConnectionStore().markConnected();
    await flushPromises();
    expect(wrapper.text()).not.toContain(banner);
  });

  it('shows a colleague’s @mention as a toast that opens the chat, with the chime', async () => {
    const tones: number[] = [];
    vi.stubGlobal(
      'AudioContext',
      class {
        currentTime = 0;
        destination = {};
        createOscillator() {
          tones.push(1);
          return {
            frequency: { value: 0 },
            connect: (node: unknown) => node,
            start() {},
            stop() {},
          };
        }
        createGain() {
          return {
            gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} },
            connect: (node: unknown) => node,
          };
        }
      },
    );
    const { router } = await mountShell();

    const note = makeMessage({
      conversationId: 'chat-7',
      kind: 'note',
      text: 'Can you call them?',
    });
    const mention = {
      conversationId: 'chat-7',
      message: { ...note, direction: 'internal' as const },
      mentionedBy: { id: 'u-anna', name: 'Anna' },
      contactName: 'Ivan Petrov',
    };
    useMentionsStore().receive(mention);
    useMentionsStore().receive(mention); // a resync replays it: one toast
    await flushPromises();
    const toasts = document.querySelectorAll<HTMLButtonElement>('[data-testid="mention-toast"]');
    expect(toasts).toHaveLength(1);
    expect(toasts[0]!.textContent).toContain('Anna mentioned you in a chat with Ivan Petrov');
    expect(toasts[0]!.textContent).toContain('Can you call them?');
    expect(tones.length).toBeGreaterThan(0);

    toasts[0]!.click();
    await flushPromises();
    expect(router.currentRoute.value.params.conversationId).toBe('chat-7');
    vi.unstubAllGlobals();
  });
});
