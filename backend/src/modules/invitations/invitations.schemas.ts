import { z } from 'zod';
import { emailSchema, idSchema, passwordSchema, personNameSchema } from '../../http/schemas.js';
import { ASSIGNABLE_ROLES } from '../operators/user.entity.js';
import type { Invitation } from './invitation.entity.js';

export const createInvitationSchema = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    role: z.enum(ASSIGNABLE_ROLES).default('operator'),
    departmentIds: z.array(idSchema).max(200).default([]),
    maxChats: z.number().int().min(1).max(100).nullable().default(null),
  })
  .meta({ id: 'CreateInvitationInput' });

export type CreateInvitationInput = z.infer<typeof createInvitationSchema>;

export const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ASSIGNABLE_ROLES),
    departmentIds: z.array(z.string()),
    maxChats: z.number().int().nullable(),
    expiresAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Invitation' });

export type InvitationDto = z.infer<typeof invitationSchema>;

export const invitationTokenParamsSchema = z.object({ token: z.string().min(1).max(128) });

export const invitationPreviewSchema = z
  .object({ tenantName: z.string(), email: z.string(), name: z.string() })
  .meta({ id: 'InvitationPreview' });

export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

export const acceptInvitationSchema = z
  .object({ name: personNameSchema.optional(), password: passwordSchema })
  .meta({ id: 'AcceptInvitationInput' });

export type AcceptInvitationInput = z.infer<typeof acceptInvitationSchema>;

export function toInvitationDto(invitation: Invitation): InvitationDto {
  return {
    id: invitation.id,
    email: invitation.email,
    name: invitation.name,
    role: invitation.role as InvitationDto['role'],
    departmentIds: invitation.departmentIds,
    maxChats: invitation.maxChats,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}
