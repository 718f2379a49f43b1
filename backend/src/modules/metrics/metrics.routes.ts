import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import type { MetricsService } from './metrics.service.js';

export function registerMetricsRoutes(router: ApiRouter, metrics: MetricsService): void {
  router.route({
    method: 'get',
    path: '/metrics',
    // Not a tenant's route: METRICS_TOKEN is checked by the service, not by a session.
    access: 'public',
    tag: 'Operations',
    summary:
      'Prometheus metrics of the api and the workers; needs Authorization: Bearer $METRICS_TOKEN',
    responses: {
      200: { description: 'The Prometheus text exposition format (text/plain; version=0.0.4)' },
      401: errorResponse('UNAUTHENTICATED: no or another bearer token than METRICS_TOKEN'),
      404: errorResponse('NOT_FOUND: METRICS_TOKEN is not set, so metrics are not served'),
    },
    handler: async ({ ctx }) => {
      const { text, contentType } = await metrics.scrape(ctx.get('Authorization') || undefined);
      ctx.type = contentType;
      ctx.set('Cache-Control', 'no-store');
      return text;
    },
  });
}
