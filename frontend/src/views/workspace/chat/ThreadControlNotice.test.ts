import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { makeConversation } from '@/test/factories';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { createTestI18n } from '@/test/i18n';
import ThreadControlNotice from './ThreadControlNotice.vue';

function mountNotice(mayAsk = true) {
  const conversation = makeConversation({
    id: 'chat-b',
    status: 'assigned',
    threadControl: 'other_app',
  });
  return mount(ThreadControlNotice, {
    props: { conversation, mayAsk },
    global: { plugins: [createTestI18n()] },
  });
}

describe('ThreadControlNotice', () => {
  it('says the bot holds the chat and asks it for control on request', async () => {
    const { requests } = stubFetch({
      'POST /api/conversations/chat-b/thread-control/request': jsonResponse(200, {
        outcome: 'requested',
      }),
    });
    const wrapper = mountNotice();
    expect(wrapper.text()).toContain('The page’s bot controls this conversation');

    await wrapper.get('[data-testid="thread-control-request"]').trigger('click');
    await flushPromises();

    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /api/conversations/chat-b/thread-control/request',
    ]);
    expect(wrapper.get('[data-testid="thread-control-requested"]').text()).toContain(
      'Asked the bot for the conversation',
    );
    wrapper.unmount();
  });

  it('shows why Facebook refused', async () => {
    stubFetch({
      'POST /api/conversations/chat-b/thread-control/request': errorResponse(
        409,
        'THREAD_CONTROL_REFUSED',
        'Facebook did not hand over the conversation: it refused.',
      ),
    });
    const wrapper = mountNotice();
    await wrapper.get('[data-testid="thread-control-request"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('Facebook did not hand over');
    wrapper.unmount();
  });

  it('offers no button to someone who may not reply', () => {
    stubFetch({});
    const wrapper = mountNotice(false);
    expect(wrapper.find('[data-testid="thread-control-request"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
