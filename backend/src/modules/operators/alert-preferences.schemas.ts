import { z } from 'zod';

/** What a user hears and sees when something needs them; each user sets their own. */
export const alertPreferencesSchema = z
  .object({
    sounds: z
      .object({
        newChat: z.boolean().meta({ description: 'A chat is assigned to me or starts waiting.' }),
        newMessage: z.boolean().meta({ description: 'A visitor writes in a chat I hold.' }),
        reminder: z.boolean().meta({
          description:
            "Repeats every 30 s while a chat of mine waits for an answer longer than the tenant's unansweredReminderSeconds, or while the queue has chats I could take.",
        }),
      })
      .strict(),
    volume: z.number().min(0).max(1),
    desktopNotifications: z.boolean(),
  })
  .strict()
  .meta({ id: 'AlertPreferences' });

export type AlertPreferences = z.infer<typeof alertPreferencesSchema>;

/** Everything on: a new operator should not miss a visitor because of a setting they never saw. */
export const DEFAULT_ALERT_PREFERENCES: AlertPreferences = {
  sounds: { newChat: true, newMessage: true, reminder: true },
  volume: 0.6,
  desktopNotifications: true,
};

/** Any subset; what is left out keeps its value. */
export const updateAlertPreferencesSchema = z
  .object({
    sounds: alertPreferencesSchema.shape.sounds.partial().strict().optional(),
    volume: alertPreferencesSchema.shape.volume.optional(),
    desktopNotifications: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'UpdateAlertPreferencesInput' });

export type UpdateAlertPreferencesInput = z.infer<typeof updateAlertPreferencesSchema>;

/** Stored preferences over the defaults, so a sound added later starts switched on. */
export function withDefaults(stored: Partial<AlertPreferences> | null): AlertPreferences {
  return {
    sounds: { ...DEFAULT_ALERT_PREFERENCES.sounds, ...stored?.sounds },
    volume: stored?.volume ?? DEFAULT_ALERT_PREFERENCES.volume,
    desktopNotifications:
      stored?.desktopNotifications ?? DEFAULT_ALERT_PREFERENCES.desktopNotifications,
  };
}
