import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import { tenantSchema, updateTenantSchema } from './tenants.schemas.js';
import type { TenantsService } from './tenants.service.js';

export function registerTenantRoutes(router: ApiRouter, tenants: TenantsService): void {
  router.route({
    method: 'patch',
    path: '/api/tenant',
    access: 'admin',
    tag: 'Tenant',
    summary: "Change the business's name, default chat capacity or first-response timeout",
    body: updateTenantSchema,
    responses: {
      200: { description: 'The updated business', schema: z.object({ tenant: tenantSchema }) },
      400: errorResponse('VALIDATION_FAILED'),
    },
    handler: async ({ actor, body }) => ({ tenant: await tenants.update(actor, body) }),
  });
}
