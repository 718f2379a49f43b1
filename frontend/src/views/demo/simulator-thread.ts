// How Messenger lays a thread out, kept out of the component so it can be tested without a DOM.
import type { SimulatorThreadItem } from '@/api/types';

/** Messenger prints the time again above a message sent this long after the one before. */
export const TIME_GAP_MS = 15 * 60_000;

export interface ThreadRow {
  item: SimulatorThreadItem;
  /** Print the time above this message (the first one, or after a pause). */
  showsTime: boolean;
  /** Consecutive messages of one side form a group: rounded corners and the avatar follow it. */
  isFirstInGroup: boolean;
  isLastInGroup: boolean;
  /** The visitor's last message carries the Sent / Delivered / Seen line. */
  showsStatus: boolean;
}

export function layoutThread(items: readonly SimulatorThreadItem[]): ThreadRow[] {
  const lastVisitorIndex = items.findLastIndex((item) => item.from === 'visitor');
  const startsAfterPause = items.map(
    (item, index) =>
      index === 0 || Date.parse(item.at) - Date.parse(items[index - 1]?.at ?? '') >= TIME_GAP_MS,
  );
  return items.map((item, index) => {
    const previous = items[index - 1];
    const next = items[index + 1];
    const showsTime = startsAfterPause[index] ?? true;
    return {
      item,
      showsTime,
      isFirstInGroup: showsTime || previous?.from !== item.from,
      isLastInGroup: !next || next.from !== item.from || !!startsAfterPause[index + 1],
      showsStatus: index === lastVisitorIndex && item.status !== null,
    };
  });
}

/**
 * The buttons above the visitor's keyboard: the quick replies of the page's newest message
 * while nothing came after it (Messenger drops them once the visitor answers), else the
 * simulator's own examples.
 */
export function offeredQuickReplies(
  items: readonly SimulatorThreadItem[],
  examples: SimulatorThreadItem['quickReplies'],
): SimulatorThreadItem['quickReplies'] {
  const newest = items.at(-1);
  return newest?.from === 'page' && newest.quickReplies.length > 0 ? newest.quickReplies : examples;
}
