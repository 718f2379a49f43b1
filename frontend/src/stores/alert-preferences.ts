import { defineStore } from 'pinia';
import { ref } from 'vue';
import * as preferencesApi from '@/api/preferences';
import type { AlertPreferences, AlertPreferencesUpdate } from '@/api/types';

/** Until the server answers (or when it cannot), every alert is on: better heard than missed. */
export const DEFAULT_ALERT_PREFERENCES: AlertPreferences = {
  sounds: { newChat: true, newMessage: true, reminder: true },
  volume: 0.6,
  desktopNotifications: true,
};

/** The signed-in user's alert preferences; a change applies at once and is then saved. */
export const useAlertPreferencesStore = defineStore('alertPreferences', () => {
  const preferences = ref<AlertPreferences>(structuredClone(DEFAULT_ALERT_PREFERENCES));
  const hasLoaded = ref(false);
  const isSaving = ref(false);

  let loading: Promise<void> | null = null;
  function fetch(): Promise<void> {
    loading ??= preferencesApi
      .getAlertPreferences()
      .then((loaded) => {
        preferences.value = loaded;
        hasLoaded.value = true;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  /** Applied before the server confirms; put back if it refuses. */
  async function update(change: AlertPreferencesUpdate): Promise<void> {
    const before = preferences.value;
    preferences.value = {
      sounds: { ...before.sounds, ...change.sounds },
      volume: change.volume ?? before.volume,
      desktopNotifications: change.desktopNotifications ?? before.desktopNotifications,
    };
    isSaving.value = true;
    try {
      preferences.value = await preferencesApi.updateAlertPreferences(change);
    } catch (error) {
      preferences.value = before;
      throw error;
    } finally {
      isSaving.value = false;
    }
  }

  function reset(): void {
    preferences.value = structuredClone(DEFAULT_ALERT_PREFERENCES);
    hasLoaded.value = false;
  }

  return { preferences, hasLoaded, isSaving, fetch, update, reset };
});
