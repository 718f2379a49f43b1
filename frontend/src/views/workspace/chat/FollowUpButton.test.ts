import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { makeConversation } from '@/test/factories';
import { createTestI18n } from '@/test/i18n';
import FollowUpButton from './FollowUpButton.vue';
import FollowUpNotice from './FollowUpNotice.vue';
import ReplyWindowFlag from '../lists/ReplyWindowFlag.vue';

const hour = 3_600_000;

function closedChat(canReplyUntil: number | null) {
  const until = canReplyUntil === null ? null : new Date(canReplyUntil).toISOString();
  return makeConversation({
    status: 'closed',
    replyWindow: {
      closesAt: until,
      humanAgentClosesAt: null,
      canReply: canReplyUntil !== null && canReplyUntil > Date.now(),
      canReplyUntil: until,
      closesSoon: false,
    },
  });
}

const mountButton = (canReplyUntil: number | null) =>
  mount(FollowUpButton, {
    props: { conversation: closedChat(canReplyUntil), isBusy: false },
    global: { plugins: [createTestI18n()] },
  });
const mountNotice = (canReplyUntil: number | null) =>
  mount(FollowUpNotice, {
    props: { conversation: closedChat(canReplyUntil) },
    global: { plugins: [createTestI18n()] },
  });

describe('FollowUpButton', () => {
  it('follows up inside the reply window', async () => {
    const wrapper = mountButton(Date.now() + 5 * hour);
    const button = wrapper.get('[data-testid="chat-follow-up"]');
    expect(button.attributes('disabled')).toBeUndefined();
    expect(mountNotice(Date.now() + 5 * hour).html()).not.toContain('chat-follow-up-reason');
    await button.trigger('click');
    expect(wrapper.emitted('followUp')).toHaveLength(1);
  });

  it('is off outside the window, saying when it closed', async () => {
    const wrapper = mountButton(Date.parse('2025-01-16T10:00:00.000Z'));
    const button = wrapper.get('[data-testid="chat-follow-up"]');
    expect(button.attributes('disabled')).toBeDefined();
    expect(button.attributes('title')).toMatch(/reply window closed on .*2025/);
    const notice = mountNotice(Date.parse('2025-01-16T10:00:00.000Z'));
    expect(notice.get('[data-testid="chat-follow-up-reason"]').text()).toMatch(
      /reply window closed on .*2025/,
    );
    await button.trigger('click');
    expect(wrapper.emitted('followUp')).toBeUndefined();
  });

  it('is off when the visitor never wrote', () => {
    expect(mountButton(null).get('[data-testid="chat-follow-up"]').attributes('disabled')).toBe('');
    expect(mountNotice(null).get('[data-testid="chat-follow-up-reason"]').text()).toMatch(
      /never wrote/,
    );
  });
});

describe('ReplyWindowFlag', () => {
  const mountFlag = (canReplyUntil: number) =>
    mount(ReplyWindowFlag, {
      props: { replyWindow: closedChat(canReplyUntil).replyWindow },
      global: { plugins: [createTestI18n()] },
    });

  it('shows the time left in the last 2 hours of the window', () => {
    const flag = mountFlag(Date.now() + 80 * 60_000 + 30_000);
    expect(flag.get('[data-testid="conversation-row-window"]').text()).toBe('⏳ 1 h 20 min left');
  });

  it('shows nothing earlier, nor once the window closed', () => {
    expect(mountFlag(Date.now() + 3 * hour).html()).not.toContain('⏳');
    expect(mountFlag(Date.now() - hour).html()).not.toContain('⏳');
  });
});
