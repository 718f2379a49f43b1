import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import { settingsSchema, tenantSchema, updateTenantSchema } from './tenants.schemas.js';
import type { TenantsService } from './tenants.service.js';

export function registerTenantRoutes(router: ApiRouter, tenants: TenantsService): void {
  router.route({
    method: 'get',
    path: '/api/settings',
    access: 'authenticated',
    tag: 'Tenant',
    summary: "The business's settings (everyone of it may read them)",
    responses: { 200: { description: 'The settings record', schema: settingsSchema } },
    handler: ({ actor }) => tenants.settings(actor),
  });

  router.route({
    method: 'patch',
    path: '/api/settings',
    access: 'admin',
    tag: 'Tenant',
    summary:
      "Change the business's settings: name, language, automatic close, reminder threshold, capacity, timeouts, notices",
    body: updateTenantSchema,
    responses: {
      200: { description: 'The settings record as it is now', schema: settingsSchema },
      400: errorResponse('VALIDATION_FAILED, with the fields'),
    },
    handler: ({ actor, body }) => tenants.updateSettings(actor, body),
  });

  router.route({
    method: 'patch',
    path: '/api/tenant',
    access: 'admin',
    tag: 'Tenant',
    summary:
      'Change the business (the same fields as PATCH /api/settings), answered as /api/me shows it',
    body: updateTenantSchema,
    responses: {
      200: { description: 'The updated business', schema: z.object({ tenant: tenantSchema }) },
      400: errorResponse('VALIDATION_FAILED'),
    },
    handler: async ({ actor, body }) => ({ tenant: await tenants.update(actor, body) }),
  });
}
