import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import { auditLogPageSchema, listAuditLogQuerySchema } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';

export function registerAuditRoutes(router: ApiRouter, audit: AuditService): void {
  router.route({
    method: 'get',
    path: '/api/audit-log',
    access: 'admin',
    tag: 'Audit log',
    summary:
      "What the workspace's admins and supervisors changed, newest first (secrets never appear)",
    query: listAuditLogQuerySchema,
    responses: {
      200: { description: 'A page of entries', schema: auditLogPageSchema },
      400: errorResponse('VALIDATION_FAILED'),
      403: errorResponse('FORBIDDEN'),
    },
    handler: ({ query }) => audit.list(query),
  });
}
