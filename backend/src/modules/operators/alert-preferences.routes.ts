import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import {
  alertPreferencesSchema,
  updateAlertPreferencesSchema,
} from './alert-preferences.schemas.js';
import type { AlertPreferencesService } from './alert-preferences.service.js';

export function registerAlertPreferenceRoutes(
  router: ApiRouter,
  preferences: AlertPreferencesService,
): void {
  router.route({
    method: 'get',
    path: '/api/me/preferences',
    access: 'authenticated',
    tag: 'Me',
    summary: 'Your alert preferences: sounds by kind, volume, desktop notifications',
    responses: { 200: { description: 'Your preferences', schema: alertPreferencesSchema } },
    handler: ({ actor }) => preferences.get(actor),
  });

  router.route({
    method: 'patch',
    path: '/api/me/preferences',
    access: 'authenticated',
    tag: 'Me',
    summary: 'Change some of your alert preferences; the rest keep their values',
    body: updateAlertPreferencesSchema,
    responses: {
      200: { description: 'Your preferences after the change', schema: alertPreferencesSchema },
      400: errorResponse('VALIDATION_FAILED'),
    },
    handler: ({ actor, body }) => preferences.update(actor, body),
  });
}
