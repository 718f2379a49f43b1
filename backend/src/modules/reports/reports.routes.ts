import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import { reportQuerySchema, reportSchema } from './reports.schemas.js';
import type { ReportsService } from './reports.service.js';

const refused = errorResponse(
  'VALIDATION_FAILED (an unknown groupBy or id, another department of a supervisor) | INVALID_PERIOD (to not after from) | PERIOD_TOO_LONG (over 93 days)',
);

export function registerReportsRoutes(router: ApiRouter, reports: ReportsService): void {
  router.route({
    method: 'get',
    path: '/api/reports',
    access: 'supervisor',
    tag: 'Reports',
    summary:
      "Conversations opened in a period, grouped by day (the tenant's time zone), operator, department or page, with service figures and totals",
    query: reportQuerySchema,
    responses: {
      200: { description: 'The rows and their totals', schema: reportSchema },
      400: refused,
    },
    handler: ({ actor, query }) => reports.over(actor, query),
  });

  router.route({
    method: 'get',
    path: '/api/reports.csv',
    access: 'supervisor',
    tag: 'Reports',
    summary:
      'The same report as CSV (RFC 4180, UTF-8, header row of the JSON field names; the totals as the last line)',
    query: reportQuerySchema,
    responses: { 200: { description: 'text/csv; charset=utf-8' }, 400: refused },
    handler: async ({ actor, query, ctx }) => {
      const csv = await reports.csvOver(actor, query);
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="report-${query.groupBy}.csv"`);
      return csv;
    },
  });
}
