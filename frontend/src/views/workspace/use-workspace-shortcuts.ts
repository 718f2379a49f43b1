import { onBeforeUnmount, onMounted } from 'vue';
import type { ConversationListName } from '@/stores/conversations';

export interface WorkspaceShortcutActions {
  showList(name: ConversationListName): void;
  /** -1: the chat above in the list, 1: the one below. */
  step(direction: -1 | 1): void;
  take(): void;
  transfer(): void;
  close(): void;
  focusComposer(): void;
}

/**
 * Alt + a key, matched on the physical key (event.code) so it works in every layout and
 * does not type a character on macOS: Alt+1/2/3 lists, Alt+↑/↓ previous/next chat, Alt+T
 * take, Alt+R transfer, Alt+C close, Alt+M write a message.
 */
export function useWorkspaceShortcuts(actions: WorkspaceShortcutActions): void {
  const byCode: Record<string, () => void> = {
    Digit1: () => actions.showList('queue'),
    Digit2: () => actions.showList('mine'),
    Digit3: () => actions.showList('closed'),
    ArrowUp: () => actions.step(-1),
    ArrowDown: () => actions.step(1),
    KeyT: actions.take,
    KeyR: actions.transfer,
    KeyC: actions.close,
    KeyM: actions.focusComposer,
  };

  function onKeydown(event: KeyboardEvent): void {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const action = byCode[event.code];
    if (!action) return;
    event.preventDefault();
    action();
  }

  onMounted(() => window.addEventListener('keydown', onKeydown));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown));
}
