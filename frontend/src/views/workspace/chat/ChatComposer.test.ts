import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeConversation, makeMessage } from '@/test/factories';
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

function mountComposer(
  conversationId: string,
  contact?: { firstName: string | null },
  mayReply = true,
) {
  const conversation = makeConversation({
    id: conversationId,
    status: 'assigned',
    replyWindow: openWindow(),
  });
  if (contact) conversation.contact = { ...conversation.contact, ...contact, lastName: null };
  return mount(ChatComposer, {
    props: { conversation, mayReply },
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

  it('writes a note in Note mode: marked apart, sent to the notes API, never as a reply', async () => {
    const note = makeMessage({
      id: 'note-1',
      conversationId: 'chat-n',
      direction: 'internal',
      kind: 'note',
      source: 'operator',
      text: 'Refund approved',
    });
    const { requests } = stubFetch({
      'POST /api/conversations/chat-n/notes': jsonResponse(201, note),
    });
    // A colleague who does not hold the chat may not reply, and may still write a note.
    const composer = mountComposer('chat-n', undefined, false);
    expect(composer.find('[data-testid="composer-disabled-reason"]').exists()).toBe(true);

    await composer.get('[data-testid="composer-mode-note"]').trigger('click');
    expect(composer.get('[data-testid="composer"]').classes()).toContain('composer--note');
    expect(composer.get('[data-testid="composer-note-hint"]').text()).toBe(
      'Note — only colleagues see this',
    );
    expect(composer.find('[data-testid="composer-attach"]').exists()).toBe(false);
    await typeInto(composer, '  Refund approved  ');
    await composer.get('textarea').trigger('keydown', { key: 'Enter' });
    await flushPromises();

    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /api/conversations/chat-n/notes',
    ]);
    expect(requests[0]!.body).toEqual({ text: 'Refund approved', mentions: [] });
    expect((composer.get('textarea').element as HTMLTextAreaElement).value).toBe('');

    // Alt+N goes back to replying (the chat is not theirs: the reason shows again).
    await composer.get('textarea').trigger('keydown', { key: 'n', code: 'KeyN', altKey: true });
    expect(composer.get('[data-testid="composer"]').classes()).not.toContain('composer--note');
    expect(composer.find('[data-testid="composer-disabled-reason"]').exists()).toBe(true);
  });

  it('offers colleagues after @ in a note; arrows and Enter insert a name, Esc closes', async () => {
    const { requests } = stubFetch({
      'GET /api/conversations/chat-m/mentionable': jsonResponse(200, {
        items: [
          { id: 'u-anna', name: 'Anna Petrova' },
          { id: 'u-boris', name: 'Boris Ivanov' },
          { id: 'u-petr', name: 'Petr Sokolov' },
        ],
      }),
      'POST /api/conversations/chat-m/notes': (request) =>
        jsonResponse(
          201,
          makeMessage({ conversationId: 'chat-m', kind: 'note', ...(request.body as object) }),
        ),
    });
    const composer = mountComposer('chat-m');
    await composer.get('[data-testid="composer-mode-note"]').trigger('click');

    // `@` in a reply is just text: the list belongs to notes.
    await typeInto(composer, 'Ask @pe');
    expect(composer.find('[data-testid="mention-picker"]').exists()).toBe(true);
    // The list is virtual (no rows in a page without layout): the text box names the active one.
    const active = () => composer.get('textarea').attributes('aria-activedescendant');
    expect(composer.find('[data-testid="mention-picker-empty"]').exists()).toBe(false);
    expect(active()).toBe('mention-option-u-petr'); // "Petr…" first, then "…Petrova"

    await composer.get('textarea').trigger('keydown', { key: 'ArrowDown' });
    await composer.get('textarea').trigger('keydown', { key: 'Enter' });
    expect((composer.get('textarea').element as HTMLTextAreaElement).value).toBe(
      'Ask @Anna Petrova ',
    );
    expect(composer.find('[data-testid="mention-picker"]').exists()).toBe(false);

    await typeInto(composer, 'Ask @Anna Petrova about @b');
    expect(active()).toBe('mention-option-u-boris');
    await typeInto(composer, 'Ask @Anna Petrova about @zed');
    expect(composer.get('[data-testid="mention-picker-empty"]').text()).toBe(
      'No colleague matches @zed',
    );
    await typeInto(composer, 'Ask @Anna Petrova about @b');
    await composer.get('textarea').trigger('keydown', { key: 'Escape' });
    expect(composer.find('[data-testid="mention-picker"]').exists()).toBe(false);
    await typeInto(composer, 'Ask @Anna Petrova about @bo');
    expect(composer.find('[data-testid="mention-picker"]').exists()).toBe(false);

    await typeInto(composer, 'Ask @Anna Petrova about it');
    await composer.get('textarea').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    const sent = requests.filter((request) => request.method === 'POST');
    expect(sent.map((request) => request.body)).toEqual([
      { text: 'Ask @Anna Petrova about it', mentions: ['u-anna'] },
    ]);
    // The list was asked for once, however many times `@` was typed.
    expect(requests.filter((request) => request.method === 'GET')).toHaveLength(1);
  });

  it('keeps @ as plain text in Reply mode', async () => {
    stubFetch({ 'POST /api/conversations/chat-r/typing': jsonResponse(202, {}) });
    const composer = mountComposer('chat-r');
    await typeInto(composer, 'Write to @support');
    expect(composer.find('[data-testid="mention-picker"]').exists()).toBe(false);
  });

  it('says an erased visitor’s chat takes no replies, rather than that it reopens', () => {
    const conversation = makeConversation({ id: 'erased-chat', status: 'closed' });
    const closed = mount(ChatComposer, {
      props: { conversation, mayReply: true },
      global: { plugins: [createTestI18n()], stubs: { RouterLink: true } },
    });
    expect(closed.text()).toContain('It reopens when the visitor writes again.');

    conversation.contact = { ...conversation.contact, erased: true };
    const erased = mount(ChatComposer, {
      props: { conversation, mayReply: true },
      global: { plugins: [createTestI18n()], stubs: { RouterLink: true } },
    });
    expect(erased.text()).toContain('This visitor’s data was erased');
    expect(erased.text()).not.toContain('It reopens');
  });
});
