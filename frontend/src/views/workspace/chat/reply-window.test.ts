import { describe, expect, it } from 'vitest';
import { composerWindow, followUpState, replyTimeLeftIfSoon } from './reply-window';

const hour = 3_600_000;
const lastMessage = Date.parse('2025-01-15T10:00:00.000Z');
const window = (humanAgent: boolean) => ({
  closesAt: new Date(lastMessage + 24 * hour).toISOString(),
  humanAgentClosesAt: humanAgent ? new Date(lastMessage + 7 * 24 * hour).toISOString() : null,
  canReply: true,
  canReplyUntil: new Date(lastMessage + (humanAgent ? 7 * 24 : 24) * hour).toISOString(),
  closesSoon: false,
});
const neverWrote = {
  closesAt: null,
  humanAgentClosesAt: null,
  canReply: false,
  canReplyUntil: null,
  closesSoon: false,
};

describe('composerWindow', () => {
  it('is open inside 24 hours, with the time it closes', () => {
    expect(composerWindow(window(false), lastMessage + 23 * hour)).toEqual({
      state: 'open',
      closesAt: lastMessage + 24 * hour,
    });
  });

  it('after 24 hours allows a human-agent reply until the 7-day limit, where the page has it', () => {
    expect(composerWindow(window(true), lastMessage + 25 * hour)).toEqual({
      state: 'human-agent',
      closesAt: lastMessage + 7 * 24 * hour,
    });
    expect(composerWindow(window(true), lastMessage + 7 * 24 * hour).state).toBe('closed');
  });

  it('is closed after 24 hours without the feature, and when the visitor never wrote', () => {
    expect(composerWindow(window(false), lastMessage + 25 * hour)).toEqual({
      state: 'closed',
      closedAt: lastMessage + 24 * hour,
      humanAgentClosedAt: null,
    });
    expect(composerWindow(neverWrote, lastMessage)).toEqual({
      state: 'closed',
      closedAt: null,
      humanAgentClosedAt: null,
    });
  });
});

describe('replyTimeLeftIfSoon', () => {
  it('counts down the last 2 hours of the window that applies, and nothing before or after', () => {
    expect(replyTimeLeftIfSoon(window(false), lastMessage + 21 * hour)).toBeNull();
    expect(replyTimeLeftIfSoon(window(false), lastMessage + 22 * hour)).toBe(2 * hour);
    expect(replyTimeLeftIfSoon(window(false), lastMessage + 23.5 * hour)).toBe(0.5 * hour);
    expect(replyTimeLeftIfSoon(window(false), lastMessage + 24 * hour)).toBeNull();
  });

  it('follows the human-agent week where the page has it', () => {
    expect(replyTimeLeftIfSoon(window(true), lastMessage + 23.5 * hour)).toBeNull();
    expect(replyTimeLeftIfSoon(window(true), lastMessage + (7 * 24 - 1) * hour)).toBe(hour);
    expect(replyTimeLeftIfSoon(neverWrote, lastMessage)).toBeNull();
  });
});

describe('followUpState', () => {
  it('allows a follow-up while any reply may go out, and says since when it may not', () => {
    expect(followUpState(window(false), lastMessage + 23 * hour)).toEqual({ isPossible: true });
    expect(followUpState(window(true), lastMessage + 6 * 24 * hour)).toEqual({ isPossible: true });
    expect(followUpState(window(false), lastMessage + 25 * hour)).toEqual({
      isPossible: false,
      closedAt: lastMessage + 24 * hour,
    });
    expect(followUpState(neverWrote, lastMessage)).toEqual({ isPossible: false, closedAt: null });
  });
});
