/** What a key does to an open suggestion list (SuggestionPicker). */
export type SuggestionKeyAction = 'close' | 'previous' | 'next' | 'choose';

/**
 * The key's meaning while a suggestion list is open: Esc closes it; with rows, arrows move
 * the highlight and Enter or Tab (without Shift) choose. null: the text box keeps the key.
 */
export function suggestionKeyAction(
  event: KeyboardEvent,
  rows: number,
): SuggestionKeyAction | null {
  if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return null;
  if (event.key === 'Escape') return 'close';
  if (rows === 0) return null;
  if (event.key === 'ArrowDown') return 'next';
  if (event.key === 'ArrowUp') return 'previous';
  if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) return 'choose';
  return null;
}

/** The highlighted row after moving `step` rows, wrapping around. */
export function movedHighlight(index: number, step: 1 | -1, rows: number): number {
  return (index + step + rows) % rows;
}
