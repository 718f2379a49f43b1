import { NButton, NIcon, NTooltip } from 'naive-ui';
import { h, type Component } from 'vue';

/** A row's icon-only action in an admin table, named by its tooltip and aria-label. */
export function iconButton(label: string, icon: Component, onClick: () => void, testId: string) {
  return h(
    NTooltip,
    { delay: 400 },
    {
      trigger: () =>
        h(
          NButton,
          { size: 'small', quaternary: true, 'aria-label': label, 'data-testid': testId, onClick },
          { icon: () => h(NIcon, null, { default: () => h(icon) }) },
        ),
      default: () => label,
    },
  );
}
