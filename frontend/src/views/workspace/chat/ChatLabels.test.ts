import { flushPromises, mount } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computed, defineComponent, h } from 'vue';
import { configureHttpAuth } from '@/api/http';
import { makeConversation } from '@/test/factories';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { createTestI18n } from '@/test/i18n';
import { useConversationsStore } from '@/stores/conversations';
import ChatLabels from './ChatLabels.vue';

const vip = { id: 'vip', name: 'VIP', color: '#dc2626' };
const billing = { id: 'billing', name: 'Billing', color: '#fde68a' };
const asLabel = (summary: typeof vip) => ({
  ...summary,
  createdAt: '2025-01-15T09:00:00.000Z',
  updatedAt: '2025-01-15T09:00:00.000Z',
});

/** The chat view's wiring in miniature: the record comes from the store, as it changes. */
function mountFor(conversationId: string) {
  const conversations = useConversationsStore();
  const Harness = defineComponent(() => {
    const conversation = computed(() => conversations.byId.get(conversationId)!);
    return () => h(ChatLabels, { conversation: conversation.value });
  });
  return mount(NMessageProvider, {
    slots: { default: () => h(Harness) },
    global: { plugins: [createTestI18n()], stubs: { RouterLink: true } },
    attachTo: document.body,
  });
}

const chipNames = (root: ParentNode) =>
  [...root.querySelectorAll('[data-testid="chat-labels"] > [data-testid="label-chip"]')].map(
    (chip) => chip.textContent,
  );

describe('ChatLabels', () => {
  let wrapper: ReturnType<typeof mountFor> | null = null;
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });
  afterEach(() => {
    wrapper?.unmount();
    wrapper = null;
  });

  it('puts a label on the chat in two clicks, and shows it as a readable chip', async () => {
    const chat = makeConversation({ id: 'c1', labels: [vip] });
    const { requests } = stubFetch({
      'GET /api/labels': jsonResponse(200, { items: [asLabel(billing), asLabel(vip)] }),
      'PUT /api/conversations/c1/labels': jsonResponse(200, { ...chat, labels: [billing, vip] }),
    });
    useConversationsStore().upsert(chat);
    wrapper = mountFor('c1');
    expect(chipNames(document.body)).toEqual(['VIP']);

    await wrapper.get('[data-testid="chat-labels-button"]').trigger('click');
    await flushPromises();
    const options = [...document.querySelectorAll('[data-testid="chat-label-option"]')];
    expect(options.map((option) => option.getAttribute('data-label-id'))).toEqual([
      'billing',
      'vip',
    ]);
    expect(options.map((option) => option.getAttribute('aria-checked'))).toEqual(['false', 'true']);

    (options[0] as HTMLElement).click();
    await flushPromises();
    expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({
      labelIds: ['billing', 'vip'],
    });
    expect(chipNames(document.body)).toEqual(['Billing', 'VIP']);
    // A light label gets dark text, a strong one white text.
    const chips = [
      ...document.querySelectorAll<HTMLElement>(
        '[data-testid="chat-labels"] > [data-testid="label-chip"]',
      ),
    ];
    expect(chips.map((chip) => chip.style.color)).toEqual(['#111827', '#ffffff']);
  });

  it('takes a label off, and puts it back with the reason when the server refuses', async () => {
    const chat = makeConversation({ id: 'c2', labels: [vip] });
    stubFetch({
      'GET /api/labels': jsonResponse(200, { items: [asLabel(vip)] }),
      'PUT /api/conversations/c2/labels': errorResponse(400, 'UNKNOWN_LABEL', 'Gone'),
    });
    useConversationsStore().upsert(chat);
    wrapper = mountFor('c2');

    await wrapper.get('[data-testid="chat-labels-button"]').trigger('click');
    await flushPromises();
    document.querySelector<HTMLElement>('[data-testid="chat-label-option"]')!.click();
    await flushPromises();

    expect(chipNames(document.body)).toEqual(['VIP']);
    expect(document.body.textContent).toContain('One of these labels was deleted meanwhile.');
  });
});
