import { UnprocessableError } from '../../errors.js';

/** Messenger's standard window: replies within 24 hours of the visitor's last action. */
export const STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000;
/** With the Human Agent feature, a human may reply up to 7 days after it. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** A window that closes within this long is flagged in the lists (`closesSoon`). */
export const CLOSES_SOON_MS = 2 * 60 * 60 * 1000;

export type ReplyWindow = {
  closesAt: Date | null;
  humanAgentClosesAt: Date | null;
  /**
   * The last moment any reply may go out: the human-agent limit where the page has the
   * feature, else the standard window's end; null when the visitor never wrote.
   */
  canReplyUntil: Date | null;
  canReply: boolean;
  /** Still open, and `canReplyUntil` is less than `CLOSES_SOON_MS` away. */
  closesSoon: boolean;
};

/**
 * When Omni may still reply to a thread (messenger-platform.md, "The messaging window"),
 * computed from the visitor's last window-opening action at the platform's time.
 */
export function computeReplyWindow(
  lastInboundAt: Date | null,
  isHumanAgentEnabled: boolean,
  now: Date,
): ReplyWindow {
  if (!lastInboundAt) {
    return {
      closesAt: null,
      humanAgentClosesAt: null,
      canReplyUntil: null,
      canReply: false,
      closesSoon: false,
    };
  }
  const closesAt = new Date(lastInboundAt.getTime() + STANDARD_WINDOW_MS);
  const humanAgentClosesAt = isHumanAgentEnabled
    ? new Date(lastInboundAt.getTime() + HUMAN_AGENT_WINDOW_MS)
    : null;
  const canReplyUntil = humanAgentClosesAt ?? closesAt;
  const canReply = now < canReplyUntil;
  const closesSoon = canReply && canReplyUntil.getTime() - now.getTime() <= CLOSES_SOON_MS;
  return { closesAt, humanAgentClosesAt, canReplyUntil, canReply, closesSoon };
}

/** How a human operator's reply goes out now, or null when the platform allows none. */
export type ReplyMessagingType = 'RESPONSE' | 'HUMAN_AGENT';

export function replyMessagingType(
  lastInboundAt: Date | null,
  isHumanAgentEnabled: boolean,
  now: Date,
): ReplyMessagingType | null {
  const window = computeReplyWindow(lastInboundAt, isHumanAgentEnabled, now);
  if (window.closesAt && now < window.closesAt) return 'RESPONSE';
  if (window.humanAgentClosesAt && now < window.humanAgentClosesAt) return 'HUMAN_AGENT';
  return null;
}

/**
 * 422 REPLY_WINDOW_CLOSED when nothing may be sent to the visitor any more (a reply, or a
 * follow-up that would lead to one); `details.closedAt` says since when.
 */
export function assertReplyWindowOpen(
  lastInboundAt: Date | null,
  isHumanAgentEnabled: boolean,
  now: Date,
): void {
  const window = computeReplyWindow(lastInboundAt, isHumanAgentEnabled, now);
  if (window.canReply) return;
  const closedAt = window.canReplyUntil;
  throw new UnprocessableError(
    'REPLY_WINDOW_CLOSED',
    closedAt
      ? 'Messenger lets a page reply only for a while after the visitor last wrote, and that time is over. The visitor has to write again first.'
      : 'The visitor has not written to the page yet, so Messenger does not allow a reply.',
    { closedAt: closedAt?.toISOString() ?? null },
  );
}
