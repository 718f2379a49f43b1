import { http } from './http';
import type { AlertPreferences, AlertPreferencesUpdate } from './types';

export function getAlertPreferences(): Promise<AlertPreferences> {
  return http.get<AlertPreferences>('/api/me/preferences');
}

export function updateAlertPreferences(input: AlertPreferencesUpdate): Promise<AlertPreferences> {
  return http.patch<AlertPreferences>('/api/me/preferences', input);
}
