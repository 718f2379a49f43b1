import { defineStore } from 'pinia';
import { ref } from 'vue';
import * as twoFactorApi from '@/api/two-factor';
import type { TwoFactorSetup } from '@/api/types';
import { useSessionStore } from './session';

/**
 * Setting up and turning off the signed-in user's second factor: the dialog of the user menu
 * and the forced setup screen share it. The secret and the recovery codes live only here,
 * only as long as they are on screen: `reset` forgets them.
 */
export const useTwoFactorStore = defineStore('two-factor', () => {
  const session = useSessionStore();
  /** The pending secret while the person scans it and types a first code. */
  const setup = ref<TwoFactorSetup | null>(null);
  /** Shown once, right after two-factor was turned on. */
  const recoveryCodes = ref<string[] | null>(null);
  const isStarting = ref(false);
  const isEnabling = ref(false);
  const isDisabling = ref(false);

  async function start(): Promise<void> {
    isStarting.value = true;
    try {
      recoveryCodes.value = null;
      setup.value = await twoFactorApi.setUpTwoFactor();
    } finally {
      isStarting.value = false;
    }
  }

  /** Confirms the pending secret with a code from the app; 400 INVALID_TWO_FACTOR_CODE. */
  async function enable(code: string): Promise<void> {
    isEnabling.value = true;
    try {
      const response = await twoFactorApi.enableTwoFactor(code.trim());
      setup.value = null; // never on screen again
      recoveryCodes.value = response.recoveryCodes;
      session.applyTwoFactorEnabled(true);
    } finally {
      isEnabling.value = false;
    }
  }

  /** With a current code or a recovery code; 400 INVALID_TWO_FACTOR_CODE. */
  async function disable(code: string): Promise<void> {
    isDisabling.value = true;
    try {
      await twoFactorApi.disableTwoFactor(code.trim());
      session.applyTwoFactorEnabled(false);
    } finally {
      isDisabling.value = false;
    }
  }

  function reset(): void {
    setup.value = null;
    recoveryCodes.value = null;
  }

  return {
    setup,
    recoveryCodes,
    isStarting,
    isEnabling,
    isDisabling,
    start,
    enable,
    disable,
    reset,
  };
});

/** The text of the recovery-codes file the person downloads (and of the copy button). */
export function recoveryCodesText(
  codes: readonly string[],
  account: string,
  heading: string,
): string {
  return [`${heading}`, account, '', ...codes, ''].join('\n');
}
