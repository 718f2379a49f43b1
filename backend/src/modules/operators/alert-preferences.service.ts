import type { EntityManager } from '@mikro-orm/postgresql';
import { requireUser, type Actor } from '../auth/actor.js';
import { User } from './user.entity.js';
import {
  withDefaults,
  type AlertPreferences,
  type UpdateAlertPreferencesInput,
} from './alert-preferences.schemas.js';

/** Each user's own alert settings (sounds, volume, desktop notifications). */
export class AlertPreferencesService {
  constructor(private readonly em: EntityManager) {}

  async get(actor: Actor): Promise<AlertPreferences> {
    const user = await this.em.findOneOrFail(User, requireUser(actor).userId);
    return withDefaults(user.alertPreferences);
  }

  async update(actor: Actor, input: UpdateAlertPreferencesInput): Promise<AlertPreferences> {
    const user = await this.em.findOneOrFail(User, requireUser(actor).userId);
    const current = withDefaults(user.alertPreferences);
    const next: AlertPreferences = {
      sounds: { ...current.sounds, ...input.sounds },
      volume: input.volume ?? current.volume,
      desktopNotifications: input.desktopNotifications ?? current.desktopNotifications,
    };
    user.alertPreferences = next;
    await this.em.flush();
    return next;
  }
}
