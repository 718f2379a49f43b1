import type { Conversation } from '@/api/types';

/**
 * What the composer may do now and why, from the server's reply window: inside 24 h a normal
 * reply; after it, on a human-agent page, a HUMAN_AGENT reply until the 7-day limit; else
 * nothing. The server decides the tag at send time; this only explains it to the operator.
 */
export type ComposerWindow =
  | { state: 'open'; closesAt: number }
  | { state: 'human-agent'; closesAt: number }
  | { state: 'closed'; closedAt: number | null; humanAgentClosedAt: number | null };

export function composerWindow(window: Conversation['replyWindow'], now: number): ComposerWindow {
  const closesAt = window.closesAt ? Date.parse(window.closesAt) : null;
  const humanAgentClosesAt = window.humanAgentClosesAt
    ? Date.parse(window.humanAgentClosesAt)
    : null;
  if (closesAt !== null && now < closesAt) return { state: 'open', closesAt };
  if (humanAgentClosesAt !== null && now < humanAgentClosesAt) {
    return { state: 'human-agent', closesAt: humanAgentClosesAt };
  }
  return { state: 'closed', closedAt: closesAt, humanAgentClosedAt: humanAgentClosesAt };
}

/** A window closing within this long is flagged in the lists (the server's `closesSoon`). */
export const CLOSES_SOON_MS = 2 * 60 * 60 * 1000;

/**
 * How long any reply may still go out, while that is at most 2 hours (the lists flag it);
 * null when there is more time, or none left. Computed from `canReplyUntil` against the
 * panel's clock, so the flag appears and counts down without waiting for an event.
 */
export function replyTimeLeftIfSoon(
  window: Conversation['replyWindow'],
  now: number,
): number | null {
  if (!window.canReplyUntil) return null;
  const left = Date.parse(window.canReplyUntil) - now;
  return left > 0 && left <= CLOSES_SOON_MS ? left : null;
}

/**
 * Whether a closed chat can be followed up now, and if not since when replies are off (null:
 * the visitor never wrote). The server decides (422 REPLY_WINDOW_CLOSED); this explains it.
 */
export function followUpState(
  window: Conversation['replyWindow'],
  now: number,
): { isPossible: true } | { isPossible: false; closedAt: number | null } {
  const until = window.canReplyUntil ? Date.parse(window.canReplyUntil) : null;
  if (until !== null && now < until) return { isPossible: true };
  return { isPossible: false, closedAt: until };
}
