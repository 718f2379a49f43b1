import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeConversation } from '@/test/factories';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { createTestI18n } from '@/test/i18n';
import ChatComposer from './ChatComposer.vue';

const openWindow = () => ({
  closesAt: new Date(Date.now() + 3_600_000).toISOString(),
  humanAgentClosesAt: null,
  canReply: true,
  canReplyUntil: new Date(Date.now() + 3_600_000).toISOString(),
  closesSoon: true,
});

function mountComposer(conversationId: string, contact?: { firstName: string | null }) {
  const conversation = makeConversation({
    id: conversationId,
    status: 'assigned',
    replyWindow: openWindow(),
  });
  if (contact) conversation.contact = { ...conversation.contact, ...contact, lastName: null };
  return mount(ChatComposer, {
    props: { conversation, mayReply: true },
    global: { plugins: [createTestI18n()], stubs: { RouterLink: true } },
  });
}

const greeting = {
  id: 'c1',
  shortcut: 'hello',
  title: 'Greeting',
  text: 'Hi {{visitor.first_name}}, how can I help?',
  scope: 'tenant',
  departmentId: null,
  ownerId: null,
  canManage: false,
  createdAt: '2025-01-15T09:00:00.000Z',
  updatedAt: '2025-01-15T09:00:00.000Z',
};

async function typeInto(wrapper: ReturnType<typeof mountComposer>, value: string) {
  const textarea = wrapper.get('textarea');
  (textarea.element as HTMLTextAreaElement).value = value;
  (textarea.element as HTMLTextAreaElement).setSelectionRange(value.length, value.length);
  await textarea.trigger('input');
  await flushPromises();
}

describe('ChatComposer', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    // Typing tells the visitor "typing…" (best effort); answered here so nothing leaves the test.
    stubFetch({ 'POST /api/conversations/chat-a/typing': jsonResponse(202, {}) });
  });

  it('keeps an unsent reply when the operator leaves the chat and comes back', async () => {
    const first = mountComposer('chat-a');
    await first.get('textarea').setValue('Half-written answer');
    first.unmount();

    const other = mountComposer('chat-b');
    expect((other.get('textarea').element as HTMLTextAreaElement).value).toBe('');
    other.unmount();

    const again = mountComposer('chat-a');
    expect((again.get('textarea').element as HTMLTextAreaElement).value).toBe(
      'Half-written answer',
    );
  });

  it('inserts a canned response chosen with / and Enter, the visitor’s name filled in', async () => {
    stubFetch({
      'POST /api/conversations/chat-c/typing': jsonResponse(202, {}),
      'GET /api/canned-responses': jsonResponse(200, { items: [greeting] }),
      'GET /api/departments': jsonResponse(200, { items: [] }),
    });
    const composer = mountComposer('chat-c', { firstName: 'Anna' });
    await typeInto(composer, '/hel');
    expect(composer.find('[data-testid="canned-picker"]').exists()).toBe(true);

    await composer.get('textarea').trigger('keydown', { key: 'Enter' });
    expect((composer.get('textarea').element as HTMLTextAreaElement).value).toBe(
      'Hi Anna, how can I help?',
    );
    expect(composer.find('[data-testid="canned-picker"]').exists()).toBe(false);
  });

  it('leaves the name out for a visitor without one, and Esc closes the list', async () => {
    stubFetch({
      'POST /api/conversations/chat-d/typing': jsonResponse(202, {}),
      'GET /api/canned-responses': jsonResponse(200, { items: [greeting] }),
      'GET /api/departments': jsonResponse(200, { items: [] }),
    });
    const composer = mountComposer('chat-d', { firstName: null });
    await typeInto(composer, 'Sure. /');
    await composer.get('textarea').trigger('keydown', { key: 'Escape' });
    expect(composer.find('[data-testid="canned-picker"]').exists()).toBe(false);
    await typeInto(composer, 'Sure. /h');
    expect(composer.find('[data-testid="canned-picker"]').exists()).toBe(false);

    await typeInto(composer, 'Sure. /h /he');
    await composer.get('textarea').trigger('keydown', { key: 'Tab' });
    expect((composer.get('textarea').element as HTMLTextAreaElement).value).toBe(
      'Sure. /h Hi, how can I help?',
    );
  });
});
