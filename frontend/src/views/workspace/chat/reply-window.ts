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
