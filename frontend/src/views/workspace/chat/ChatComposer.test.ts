import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeConversation } from '@/test/factories';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { createTestI18n } from '@/test/i18n';
import ChatComposer from './ChatComposer.vue';

const openWindow = () => ({
  closesAt: new Date(Date.now() + 3_600_000).toISOString(),
  humanAgentClosesAt: null,
  canReply: true,
});

function mountComposer(conversationId: string) {
  return mount(ChatComposer, {
    props: {
      conversation: makeConversation({
        id: conversationId,
        status: 'assigned',
        replyWindow: openWindow(),
      }),
      mayReply: true,
    },
    global: { plugins: [createTestI18n()] },
  });
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
});
