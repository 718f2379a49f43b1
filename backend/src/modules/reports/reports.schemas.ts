import { z } from 'zod';
import { idSchema } from '../../http/schemas.js';
import {
  ANSWERED_WITHIN_SECONDS,
  ASSIGNED_WITHIN_SECONDS,
} from '../routing/queue-stats.service.js';
import { REPORT_GROUPS } from './reports.repository.js';

export const reportQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).meta({ description: 'Inclusive (ISO 8601 instant)' }),
  to: z.iso.datetime({ offset: true }).meta({ description: 'Exclusive (ISO 8601 instant)' }),
  groupBy: z.enum(REPORT_GROUPS).default('day'),
  departmentId: idSchema.optional(),
  operatorId: idSchema.optional(),
  pageId: idSchema.optional().meta({ description: "Omni's page id" }),
});

export type ReportQuery = z.infer<typeof reportQuerySchema>;

const figuresShape = {
  conversations: z.number().int().meta({
    description:
      'Conversations opened in the period: a visitor starting or reopening one, or an operator reopening one to follow up (each open→close stretch counts once, on the day it opened)',
  }),
  assignedWithin20s: z
    .number()
    .nullable()
    .meta({
      description: `Share (0–1) of the queue entries assigned within ${ASSIGNED_WITHIN_SECONDS} s, of those decided (assigned, or waiting longer), as in /api/queue/stats`,
    }),
  answeredWithin60s: z
    .number()
    .nullable()
    .meta({
      description: `Share (0–1) of the queue entries an operator answered within ${ANSWERED_WITHIN_SECONDS} s, of those decided (answered, or unanswered for longer), as in /api/queue/stats`,
    }),
  avgWaitSeconds: z
    .number()
    .nullable()
    .meta({ description: "From the visitor's message (the queue entry) to the assignment" }),
  avgFirstResponseSeconds: z
    .number()
    .nullable()
    .meta({ description: "From the visitor's message to the first operator reply" }),
  avgHandlingSeconds: z
    .number()
    .nullable()
    .meta({ description: 'From the first assignment to the close, of those closed' }),
  closedWhileWaiting: z.number().int().meta({ description: 'Closed while in the queue' }),
  windowExpiredUnanswered: z.number().int().meta({
    description:
      "Whose reply window closed (24 h after the visitor's last message, 7 days with the human agent feature) while a visitor message was unanswered",
  }),
  csatAverage: z.number().nullable().meta({ description: 'Average survey score, 1–5' }),
  csatResponses: z.number().int(),
  csatResponseRate: z.number().nullable().meta({
    description: 'Addition: share (0–1) of the surveys sent that the visitor answered',
  }),
};

export const reportRowSchema = z
  .object({
    key: z.string().nullable().meta({
      description:
        "The day (YYYY-MM-DD in the tenant's time zone), or the operator's, department's or page's id; null: no operator / no department",
    }),
    label: z
      .string()
      .meta({ description: "The day, or the operator's, department's or page's name" }),
    ...figuresShape,
  })
  .meta({ id: 'ReportRow' });

export type ReportRow = z.infer<typeof reportRowSchema>;

export const reportSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    groupBy: z.enum(REPORT_GROUPS),
    timezone: z.string().meta({ description: "The tenant's time zone, of the days" }),
    rows: z.array(reportRowSchema),
    totals: z.object(figuresShape).meta({ id: 'ReportTotals' }),
  })
  .meta({ id: 'Report' });

export type Report = z.infer<typeof reportSchema>;
