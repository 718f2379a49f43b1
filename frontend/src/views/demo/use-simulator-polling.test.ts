import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent } from 'vue';
import { configureHttpAuth } from '@/api/http';
import type { SimulatorThreadItem } from '@/api/types';
import { useDemoStore } from '@/stores/demo';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { SIMULATOR_POLL_INTERVAL_MS, useSimulatorPolling } from './use-simulator-polling';

let visibility: DocumentVisibilityState = 'visible';

function setVisibility(next: DocumentVisibilityState): void {
  visibility = next;
  document.dispatchEvent(new Event('visibilitychange'));
}

const Host = defineComponent({
  setup() {
    useSimulatorPolling();
    return () => null;
  },
});

function reply(id: string): SimulatorThreadItem {
  return {
    id,
    from: 'page',
    text: 'Hi!',
    imageUrl: null,
    at: '2026-01-10T08:00:00Z',
    tag: null,
    status: null,
    quickReplies: [],
  };
}

// A host left mounted would keep listening to `visibilitychange` in the next test.
enableAutoUnmount(afterEach);

describe('useSimulatorPolling', () => {
  let pinia: Pinia;
  let items: SimulatorThreadItem[];
  let requests: ReturnType<typeof stubFetch>['requests'];
  /** While true the thread's answers wait, so a test can act while a poll is under way. */
  let isHoldingAnswers: boolean;
  let heldAnswers: (() => void)[];
  async function releaseAnswers(): Promise<void> {
    isHoldingAnswers = false;
    for (const release of heldAnswers.splice(0)) release();
    await flushPromises();
  }
  const polls = () => requests.filter((request) => request.path.includes('/thread')).length;
  const reads = () => requests.filter((request) => request.path.endsWith('/read')).length;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    visibility = 'visible';
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => visibility,
    });
    pinia = createPinia();
    setActivePinia(pinia);
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
    items = [];
    isHoldingAnswers = false;
    heldAnswers = [];
    ({ requests } = stubFetch({
      'GET /api/demo/simulator/thread?personaId=anna': () => {
        const answer = () => jsonResponse(200, { items, typing: false });
        if (!isHoldingAnswers) return answer();
        return new Promise<Response>((resolve) => heldAnswers.push(() => resolve(answer())));
      },
      'POST /api/demo/simulator/read': jsonResponse(202, {}),
    }));
    useDemoStore().selectPersona('anna');
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  async function tick(): Promise<void> {
    await vi.advanceTimersByTimeAsync(SIMULATOR_POLL_INTERVAL_MS);
    await flushPromises();
  }

  it('asks for the thread at once and then every 1.5 s while the page is visible', async () => {
    mount(Host, { global: { plugins: [pinia] } });
    await flushPromises();
    expect(polls()).toBe(1);

    await tick();
    await tick();

    expect(polls()).toBe(3);
  });

  it('stops while the tab is hidden and asks at once when it is visible again', async () => {
    mount(Host, { global: { plugins: [pinia] } });
    await flushPromises();

    setVisibility('hidden');
    await tick();
    await tick();
    expect(polls()).toBe(1);

    setVisibility('visible');
    await flushPromises();
    expect(polls()).toBe(2);
    await tick();
    expect(polls()).toBe(3);
  });

  it('stops for good when the simulator is closed', async () => {
    const wrapper = mount(Host, { global: { plugins: [pinia] } });
    await flushPromises();

    wrapper.unmount();
    await tick();
    await tick();
    setVisibility('visible');
    await flushPromises();

    expect(polls()).toBe(1);
  });

  it('a poll under way when the tab is hidden reports nothing and schedules nothing', async () => {
    mount(Host, { global: { plugins: [pinia] } });
    await flushPromises();
    isHoldingAnswers = true;
    await tick();
    expect(polls()).toBe(2);

    items = [reply('p1')];
    setVisibility('hidden');
    await releaseAnswers();
    await tick();
    await tick();

    expect(polls()).toBe(2);
    expect(reads()).toBe(0);
    expect(useDemoStore().thread?.items).toHaveLength(1);
  });

  it('a poll under way when the simulator closes schedules nothing', async () => {
    const wrapper = mount(Host, { global: { plugins: [pinia] } });
    await flushPromises();
    isHoldingAnswers = true;
    await tick();

    wrapper.unmount();
    await releaseAnswers();
    await tick();
    await tick();

    expect(polls()).toBe(2);
  });

  it('reports new replies as seen once, and only while the tab is visible', async () => {
    items = [reply('p1')];
    mount(Host, { global: { plugins: [pinia] } });
    await flushPromises();
    await tick();
    expect(reads()).toBe(1);

    setVisibility('hidden');
    items = [reply('p1'), reply('p2')];
    await useDemoStore().refreshThread();
    await flushPromises();
    expect(reads()).toBe(1);

    setVisibility('visible');
    await flushPromises();
    expect(reads()).toBe(2);
    await tick();
    expect(reads()).toBe(2);
  });
});
