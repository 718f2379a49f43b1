import { describe, expect, it } from 'vitest';
import { computeReplyWindow, replyMessagingType } from './reply-window.js';

const lastInboundAt = new Date('2026-11-01T10:00:00Z');
const hoursLater = (hours: number) => new Date(lastInboundAt.getTime() + hours * 3600_000);

describe('computeReplyWindow', () => {
  it('is open for 24 hours after the visitor’s last action', () => {
    expect(computeReplyWindow(lastInboundAt, false, hoursLater(23.9))).toEqual({
      closesAt: hoursLater(24),
      humanAgentClosesAt: null,
      canReply: true,
    });
    expect(computeReplyWindow(lastInboundAt, false, hoursLater(24)).canReply).toBe(false);
  });

  it('stays open for 7 days on a page with the Human Agent feature', () => {
    const window = computeReplyWindow(lastInboundAt, true, hoursLater(24 * 6));
    expect(window).toEqual({
      closesAt: hoursLater(24),
      humanAgentClosesAt: hoursLater(24 * 7),
      canReply: true,
    });
    expect(computeReplyWindow(lastInboundAt, true, hoursLater(24 * 7)).canReply).toBe(false);
  });

  it('is closed when the visitor never wrote', () => {
    expect(computeReplyWindow(null, true, lastInboundAt).canReply).toBe(false);
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
