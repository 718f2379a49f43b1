/** Messenger's standard window: replies within 24 hours of the visitor's last action. */
export const STANDARD_WINDOW_MS = 24 * 60 * 60 * 1000;
/** With the Human Agent feature, a human may reply up to 7 days after it. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export type ReplyWindow = {
  closesAt: Date | null;
  humanAgentClosesAt: Date | null;
  canReply: boolean;
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
  if (!lastInboundAt) return { closesAt: null, humanAgentClosesAt: null, canReply: false };
  const closesAt = new Date(lastInboundAt.getTime() + STANDARD_WINDOW_MS);
  const humanAgentClosesAt = isHumanAgentEnabled
    ? new Date(lastInboundAt.getTime() + HUMAN_AGENT_WINDOW_MS)
    : null;
  const canReply = now < closesAt || (humanAgentClosesAt !== null && now < humanAgentClosesAt);
  return { closesAt, humanAgentClosesAt, canReply };
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
