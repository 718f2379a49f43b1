// Test helpers for naive-ui overlays (modals, drawers), which teleport to <body>: their parts
// are found through the document rather than the mounted wrapper.
import { nextTick } from 'vue';

export function byTestId(testId: string): HTMLInputElement {
  const found = document.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
  if (!found) throw new Error(`no element with data-testid=${testId}`);
  return found;
}

/** Types into the native input with that test id, as a person would. */
export async function typeInto(testId: string, value: string): Promise<void> {
  const input = byTestId(testId);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await nextTick();
}
