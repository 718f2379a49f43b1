import { describe, expect, it } from 'vitest';
import { assertReplyWindowOpen, computeReplyWindow, replyMessagingType } from './reply-window.js';

const lastInboundAt = new Date('2026-11-01T10:00:00Z');
const hoursLater = (hours: number) => new Date(lastInboundAt.getTime() + hours * 3600_000);

describe('computeReplyWindow', () => {
  it('is open for 24 hours after the visitor’s last action', () => {
    expect(computeReplyWindow(lastInboundAt, false, hoursLater(20))).toEqual({
      closesAt: hoursLater(24),
      humanAgentClosesAt: null,
      canReplyUntil: hoursLater(24),
      canReply: true,
      closesSoon: false,
    });
    expect(computeReplyWindow(lastInboundAt, false, hoursLater(24)).canReply).toBe(false);
  });

  it('stays open for 7 days on a page with the Human Agent feature', () => {
    const window = computeReplyWindow(lastInboundAt, true, hoursLater(24 * 6));
    expect(window).toEqual({
      closesAt: hoursLater(24),
      humanAgentClosesAt: hoursLater(24 * 7),
      canReplyUntil: hoursLater(24 * 7),
      canReply: true,
      closesSoon: false,
    });
    expect(computeReplyWindow(lastInboundAt, true, hoursLater(24 * 7)).canReply).toBe(false);
  });

  it('is closed when the visitor never wrote', () => {
    expect(computeReplyWindow(null, true, lastInboundAt)).toEqual({
      closesAt: null,
      humanAgentClosesAt: null,
      canReplyUntil: null,
      canReply: false,
      closesSoon: false,
    });
  });
});

describe('closesSoon', () => {
  it('is true in the last 2 hours of the standard window, and false once it closed', () => {
    expect(computeReplyWindow(lastInboundAt, false, hoursLater(21.99)).closesSoon).toBe(false);
    expect(computeReplyWindow(lastInboundAt, false, hoursLater(22)).closesSoon).toBe(true);
    expect(computeReplyWindow(lastInboundAt, false, hoursLater(23.99)).closesSoon).toBe(true);
    expect(computeReplyWindow(lastInboundAt, false, hoursLater(24)).closesSoon).toBe(false);
  });

  it('follows the human-agent limit where the page has it, not the 24-hour one', () => {
    expect(computeReplyWindow(lastInboundAt, true, hoursLater(23)).closesSoon).toBe(false);
    expect(computeReplyWindow(lastInboundAt, true, hoursLater(24 * 7 - 3)).closesSoon).toBe(false);
    expect(computeReplyWindow(lastInboundAt, true, hoursLater(24 * 7 - 1)).closesSoon).toBe(true);
    expect(computeReplyWindow(lastInboundAt, true, hoursLater(24 * 7)).closesSoon).toBe(false);
  });
});

describe('replyMessagingType', () => {
  it('is RESPONSE for 24 hours, then HUMAN_AGENT until 7 days where the page has it, then none', () => {
    expect(replyMessagingType(lastInboundAt, true, hoursLater(23.9))).toBe('RESPONSE');
    expect(replyMessagingType(lastInboundAt, true, hoursLater(24))).toBe('HUMAN_AGENT');
    expect(replyMessagingType(lastInboundAt, true, hoursLater(24 * 7 - 0.1))).toBe('HUMAN_AGENT');
    expect(replyMessagingType(lastInboundAt, true, hoursLater(24 * 7))).toBeNull();
    expect(replyMessagingType(lastInboundAt, false, hoursLater(24))).toBeNull();
    expect(replyMessagingType(null, true, lastInboundAt)).toBeNull();
  });
});

describe('assertReplyWindowOpen', () => {
  it('passes inside the window that applies', () => {
    expect(() => assertReplyWindowOpen(lastInboundAt, false, hoursLater(23))).not.toThrow();
    expect(() => assertReplyWindowOpen(lastInboundAt, true, hoursLater(100))).not.toThrow();
  });

  it('refuses with REPLY_WINDOW_CLOSED and when it closed', () => {
    expect(() => assertReplyWindowOpen(lastInboundAt, false, hoursLater(25))).toThrow(
      expect.objectContaining({
        code: 'REPLY_WINDOW_CLOSED',
        status: 422,
        details: { closedAt: hoursLater(24).toISOString() },
      }),
    );
    expect(() => assertReplyWindowOpen(lastInboundAt, true, hoursLater(24 * 8))).toThrow(
      expect.objectContaining({ details: { closedAt: hoursLater(24 * 7).toISOString() } }),
    );
    expect(() => assertReplyWindowOpen(null, true, lastInboundAt)).toThrow(
      expect.objectContaining({ code: 'REPLY_WINDOW_CLOSED', details: { closedAt: null } }),
    );
  });
});
