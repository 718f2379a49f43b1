import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import { HealthService, UnhealthyError } from './health.service.js';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    db: z.enum(['ok', 'down']),
    redis: z.enum(['ok', 'down']),
    worker: z.enum(['ok', 'missing', 'unknown']),
  })
  .meta({ id: 'Health' });

export function registerHealthRoutes(router: ApiRouter, health: HealthService): void {
  router.route({
    method: 'get',
    path: '/health',
    access: 'public',
    tag: 'Health',
    summary:
      'Whether PostgreSQL and Redis answer (503 names the part that does not) and a worker runs',
    responses: {
      200: {
        description: 'PostgreSQL and Redis answer; `degraded` when no worker reported in for 15 s',
        schema: healthSchema,
      },
      503: errorResponse('UNHEALTHY, with the report in details'),
    },
    handler: async () => {
      const report = await health.check();
      if (HealthService.isUnserviceable(report)) throw new UnhealthyError(report);
      return report;
    },
  });
}
