import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { idSchema } from '../../http/schemas.js';
import {
  departmentMenuInputSchema,
  departmentMenuSchema,
  toDepartmentMenuDto,
} from '../department-menu/department-menu.schemas.js';
import type { FacebookPage } from './facebook-page.entity.js';

/** A strong confirmation code for the webhook handshake when the admin does not type one. */
export function generateVerifyToken(): string {
  return randomBytes(24).toString('base64url');
}

const secretInput = (what: string) =>
  z.string().trim().min(1, `Paste the ${what}.`).max(1000, `That is too long for a ${what}.`);

const verifyTokenSchema = z
  .string()
  .trim()
  .min(8, 'Use at least 8 characters.')
  .max(200, 'Use at most 200 characters.')
  .regex(/^[\x21-\x7e]+$/, 'Use letters, digits and punctuation, without spaces.');

const handoverSchema = z
  .object({
    enabled: z.boolean().meta({
      description:
        'Omni runs as secondary receiver beside a primary app (a bot): threads the bot controls arrive as standby and are not queued until it passes them to Omni; closing passes them back. Subscribes the page to messaging_handovers and standby too.',
    }),
  })
  .meta({ id: 'FacebookPageHandover' });

export const createFacebookPageSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter a name.').max(200),
    accessToken: secretInput('page access token'),
    verifyToken: verifyTokenSchema.optional(),
    appSecret: secretInput('app secret'),
    departmentId: idSchema.nullable().default(null),
    humanAgentEnabled: z.boolean().default(false),
    handover: handoverSchema.optional(),
  })
  .meta({ id: 'CreateFacebookPageInput' });

export type CreateFacebookPageInput = z.infer<typeof createFacebookPageSchema>;

export const updateFacebookPageSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter a name.').max(200).optional(),
    accessToken: secretInput('page access token').optional(),
    verifyToken: verifyTokenSchema.optional(),
    appSecret: secretInput('app secret').optional(),
    departmentId: idSchema.nullable().optional(),
    humanAgentEnabled: z.boolean().optional(),
    handover: handoverSchema.optional(),
    active: z.boolean().optional(),
    departmentMenu: departmentMenuInputSchema.optional(),
  })
  .meta({ id: 'UpdateFacebookPageInput' });

export type UpdateFacebookPageInput = z.infer<typeof updateFacebookPageSchema>;

export const facebookPageSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    pageId: z.string().meta({ description: "Facebook's page id, resolved from the token." }),
    pageName: z.string().meta({ description: "The page's name on Facebook." }),
    departmentId: z.string().nullable(),
    active: z.boolean(),
    humanAgentEnabled: z.boolean(),
    departmentMenu: departmentMenuSchema,
    handover: handoverSchema,
    sandbox: z.boolean().meta({
      description: "The demo's page: Omni's sandbox Graph API plays Facebook for it.",
    }),
    callbackUrl: z.string(),
    verifyToken: z.string(),
    accessTokenHint: z
      .string()
      .meta({ description: 'Last four characters; the token is never returned.' }),
    appSecretHint: z
      .string()
      .meta({ description: 'Last four characters; the secret is never returned.' }),
    appId: z.string().nullable().meta({
      description: 'The app the token belongs to (GET /app with the page token); read-only.',
    }),
    status: z.object({
      tokenValid: z.boolean(),
      missingPermissions: z.array(z.string()).meta({
        description:
          'Required permissions (pages_messaging, pages_manage_metadata, pages_read_engagement, pages_show_list) the token lacks, per debug_token.',
      }),
      healthCheckedAt: z.iso
        .datetime()
        .nullable()
        .meta({ description: "When the token's validity and permissions were last probed." }),
      webhookVerifiedAt: z.iso.datetime().nullable(),
      subscribed: z.boolean(),
      lastEventAt: z.iso.datetime().nullable(),
      lastError: z.string().nullable(),
    }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'FacebookPage' });

export type FacebookPageDto = z.infer<typeof facebookPageSchema>;

export function toFacebookPageDto(page: FacebookPage, callbackUrl: string): FacebookPageDto {
  return {
    id: page.id,
    name: page.name,
    pageId: page.pageId,
    pageName: page.pageName,
    departmentId: page.department?.id ?? null,
    active: page.active,
    humanAgentEnabled: page.humanAgentEnabled,
    departmentMenu: toDepartmentMenuDto(page),
    handover: { enabled: page.handoverEnabled },
    sandbox: page.sandbox,
    callbackUrl,
    verifyToken: page.verifyToken,
    accessTokenHint: page.accessTokenHint,
    appSecretHint: page.appSecretHint,
    appId: page.appId,
    status: {
      tokenValid: page.tokenValid,
      missingPermissions: [...page.missingPermissions],
      healthCheckedAt: page.healthCheckedAt?.toISOString() ?? null,
      webhookVerifiedAt: page.webhookVerifiedAt?.toISOString() ?? null,
      subscribed: page.subscribed,
      lastEventAt: page.lastEventAt?.toISOString() ?? null,
      lastError: page.lastError,
    },
    createdAt: page.createdAt.toISOString(),
  };
}
