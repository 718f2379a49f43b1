import { z } from 'zod';
import { TENANT_LANGUAGES, type Tenant } from './tenant.entity.js';

export const tenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    key: z.string().meta({ description: 'Public, unguessable id used in the webhook URL.' }),
    callbackUrl: z
      .string()
      .meta({ description: 'Paste this into the Facebook app as the callback URL.' }),
    defaultMaxChats: z.number().int(),
    firstResponseTimeoutSeconds: z.number().int().nullable().meta({
      description:
        'An automatically assigned chat unanswered this long goes to another operator; null: off',
    }),
    language: z
      .enum(TENANT_LANGUAGES)
      .meta({ description: 'Of the automatic messages to visitors' }),
    queueNoticeEnabled: z.boolean().meta({
      description:
        'A visitor who starts waiting is told their place in the queue and the expected wait',
    }),
    offlineNoticeEnabled: z.boolean().meta({
      description: 'A visitor who starts waiting is told when nobody of the department is online',
    }),
    demo: z.boolean().meta({
      description: 'The demo business, with its Messenger simulator and App Review kit (demo mode)',
    }),
  })
  .meta({ id: 'Tenant' });

export type TenantDto = z.infer<typeof tenantSchema>;

export const updateTenantSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter a name.').max(200).optional(),
    defaultMaxChats: z.number().int().min(1).max(100).optional(),
    firstResponseTimeoutSeconds: z
      .number()
      .int()
      .min(15, 'Use at least 15 seconds.')
      .max(3600, 'Use at most an hour (3600 seconds).')
      .nullable()
      .optional(),
    language: z.enum(TENANT_LANGUAGES).optional(),
    queueNoticeEnabled: z.boolean().optional(),
    offlineNoticeEnabled: z.boolean().optional(),
  })
  .meta({ id: 'UpdateTenantInput' });

export type UpdateTenantInput = z.infer<typeof updateTenantSchema>;

export function toTenantDto(tenant: Tenant, publicUrl: string, demoMode: boolean): TenantDto {
  return {
    id: tenant.id,
    name: tenant.name,
    key: tenant.key,
    callbackUrl: tenant.callbackUrl(publicUrl),
    defaultMaxChats: tenant.defaultMaxChats,
    firstResponseTimeoutSeconds: tenant.firstResponseTimeoutSeconds,
    language: tenant.language,
    queueNoticeEnabled: tenant.queueNoticeEnabled,
    offlineNoticeEnabled: tenant.offlineNoticeEnabled,
    demo: demoMode && tenant.isDemo,
  };
}
