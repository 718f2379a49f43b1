import { describe, expect, it } from 'vitest';
import { composerWindow } from './reply-window';

const hour = 3_600_000;
const lastMessage = Date.parse('2025-01-15T10:00:00.000Z');
const window = (humanAgent: boolean) => ({
  closesAt: new Date(lastMessage + 24 * hour).toISOString(),
  humanAgentClosesAt: humanAgent ? new Date(lastMessage + 7 * 24 * hour).toISOString() : null,
  canReply: true,
});

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
    expect(
      composerWindow({ closesAt: null, humanAgentClosesAt: null, canReply: false }, lastMessage),
    ).toEqual({ state: 'closed', closedAt: null, humanAgentClosedAt: null });
  });
});
