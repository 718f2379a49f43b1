import { z } from 'zod';
import type { ApiToken } from './api-token.entity.js';

export const MAX_API_TOKEN_NAME_LENGTH = 80;

export const createApiTokenSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Enter a name.')
      .max(MAX_API_TOKEN_NAME_LENGTH, `Use at most ${MAX_API_TOKEN_NAME_LENGTH} characters.`)
      .meta({ description: 'What the token is for, e.g. "CRM sync"' }),
  })
  .meta({ id: 'CreateApiTokenInput' });

export type CreateApiTokenInput = z.infer<typeof createApiTokenSchema>;

/** A token as the list shows it: never the token itself. */
export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters, e.g. `omni_Ab3x`' }),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable().meta({ description: 'To the minute' }),
    createdBy: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .meta({ description: 'Null once its creator was deleted' }),
  })
  .meta({ id: 'ApiToken' });

export type ApiTokenDto = z.infer<typeof apiTokenSchema>;

/** The answer to a creation: the only time the token is shown. */
export const createdApiTokenSchema = apiTokenSchema
  .extend({
    token: z.string().meta({
      description: '`omni_…`: send as `Authorization: Bearer <token>`. Shown only now.',
    }),
  })
  .meta({ id: 'CreatedApiToken' });

export type CreatedApiTokenDto = z.infer<typeof createdApiTokenSchema>;

export function toApiTokenDto(token: ApiToken): ApiTokenDto {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    createdBy: token.createdBy ? { id: token.createdBy.id, name: token.createdBy.name } : null,
  };
}
