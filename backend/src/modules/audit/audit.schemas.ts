import { z } from 'zod';
import { keysetCursorSchema } from '../../http/cursor.js';
import { idSchema } from '../../http/schemas.js';
import {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  type AuditChanges,
  type AuditEntry,
} from './audit-entry.entity.js';

/** Entries a page of the log holds unless `limit` says otherwise. */
export const AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_PAGE_SIZE = 200;

const instantSchema = z.iso
  .datetime({ offset: true, error: 'Give an ISO 8601 instant, e.g. 2026-12-03T10:00:00Z.' })
  .transform((text) => new Date(text));

export const auditActionSchema = z.enum(AUDIT_ACTIONS).meta({
  id: 'AuditAction',
  description: 'What was done, `<target type>.<verb>`: stable codes, only ever added to',
});

export const auditTargetTypeSchema = z.enum(AUDIT_TARGET_TYPES).meta({ id: 'AuditTargetType' });

export const listAuditLogQuerySchema = z.object({
  cursor: keysetCursorSchema.optional(),
  actorId: idSchema.optional().meta({ description: 'Only what this user did' }),
  action: auditActionSchema.optional(),
  targetType: auditTargetTypeSchema.optional(),
  from: instantSchema.optional().meta({ description: 'At or after this instant (ISO 8601)' }),
  to: instantSchema.optional().meta({ description: 'Before this instant' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_AUDIT_PAGE_SIZE)
    .optional()
    .meta({ description: `Entries per page (default ${AUDIT_PAGE_SIZE})` }),
});

export type ListAuditLogQuery = z.infer<typeof listAuditLogQuerySchema>;

const fieldChangeSchema = z
  .union([
    z.object({ from: z.unknown(), to: z.unknown() }),
    z
      .object({ changed: z.literal(true) })
      .meta({ description: 'A secret (token, app secret, password): only that it was set' }),
  ])
  .meta({ id: 'AuditFieldChange' });

export const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    actor: z.object({
      id: z.string().nullable().meta({ description: 'null once the user was deleted' }),
      name: z.string().meta({ description: 'As they were called when they acted' }),
    }),
    action: auditActionSchema,
    target: z.object({
      type: auditTargetTypeSchema,
      id: z.string(),
      name: z.string().nullable().meta({ description: 'As it was called then' }),
    }),
    changes: z.record(z.string(), fieldChangeSchema).meta({
      description:
        'The plain fields that changed, `{field: {from, to}}` (a creation from null, a deletion to null); secrets only as `{changed: true}`',
    }),
  })
  .meta({ id: 'AuditEntry' });

export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

export const auditLogPageSchema = z
  .object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditLogPage' });

export type AuditLogPage = z.infer<typeof auditLogPageSchema>;

export function toAuditEntryDto(entry: AuditEntry): AuditEntryDto {
  return {
    id: entry.id,
    at: entry.createdAt.toISOString(),
    actor: { id: entry.actor?.id ?? null, name: entry.actorName },
    action: entry.action,
    target: { type: entry.targetType, id: entry.targetId, name: entry.targetName },
    changes: entry.changes as AuditChanges,
  };
}
