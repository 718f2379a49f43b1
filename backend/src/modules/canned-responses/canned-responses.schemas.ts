import { z } from 'zod';
import { idSchema } from '../../http/schemas.js';
import { CANNED_RESPONSE_SCOPES, type CannedResponse } from './canned-response.entity.js';

/** Messenger's limit on a text message (as for a reply): a longer response could never be sent. */
export const MAX_CANNED_TEXT_LENGTH = 2000;
export const MAX_SHORTCUT_LENGTH = 32;

/** Typed after `/` in the composer: one word. A leading `/` typed into the form is dropped. */
const shortcutSchema = z
  .string()
  .trim()
  .transform((shortcut) => shortcut.replace(/^\/+/, ''))
  .pipe(
    z
      .string()
      .min(1, 'Enter a shortcut.')
      .max(MAX_SHORTCUT_LENGTH, `Use at most ${MAX_SHORTCUT_LENGTH} characters.`)
      .regex(/^[^\s/]+$/u, 'Use one word: no spaces or slashes.'),
  )
  .meta({ description: 'One word, case-insensitive, typed after `/`; a leading `/` is dropped.' });

/** An empty title is no title. */
const titleSchema = z
  .string()
  .trim()
  .max(120, 'Use at most 120 characters.')
  .transform((title) => title || null)
  .nullable();

const textSchema = z
  .string()
  .trim()
  .min(1, 'Write the text.')
  .max(MAX_CANNED_TEXT_LENGTH, `Messenger accepts at most ${MAX_CANNED_TEXT_LENGTH} characters.`)
  .meta({
    description:
      'May use {{visitor.first_name}}, {{visitor.name}}, {{operator.name}} and {{page.name}}; the panel fills them in.',
  });

export const cannedResponseSchema = z
  .object({
    id: z.string(),
    shortcut: z.string(),
    title: z.string().nullable(),
    text: z.string(),
    scope: z.enum(CANNED_RESPONSE_SCOPES),
    /** Set for department ones only. */
    departmentId: z.string().nullable(),
    /** Set for personal ones only. */
    ownerId: z.string().nullable(),
    canManage: z.boolean().meta({ description: 'Whether the caller may change or delete it.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CannedResponse' });

export type CannedResponseDto = z.infer<typeof cannedResponseSchema>;

export const createCannedResponseSchema = z
  .object({
    shortcut: shortcutSchema,
    title: titleSchema.optional(),
    text: textSchema,
    scope: z.enum(CANNED_RESPONSE_SCOPES),
    departmentId: idSchema.optional(),
  })
  .superRefine((input, context) => {
    if (input.scope === 'department' && !input.departmentId) {
      context.addIssue({
        code: 'custom',
        path: ['departmentId'],
        message: 'Choose a department.',
      });
    }
    if (input.scope !== 'department' && input.departmentId) {
      context.addIssue({
        code: 'custom',
        path: ['departmentId'],
        message: 'Only a department response belongs to a department.',
      });
    }
  })
  .meta({ id: 'CreateCannedResponseInput' });

export type CreateCannedResponseInput = z.infer<typeof createCannedResponseSchema>;

/** The scope and department are fixed at creation: who may change a response depends on them. */
export const updateCannedResponseSchema = z
  .object({
    shortcut: shortcutSchema.optional(),
    title: titleSchema.optional(),
    text: textSchema.optional(),
  })
  .meta({ id: 'UpdateCannedResponseInput' });

export type UpdateCannedResponseInput = z.infer<typeof updateCannedResponseSchema>;

export const listCannedResponsesQuerySchema = z.object({
  manageable: z.enum(['true', 'false']).optional().meta({
    description:
      'true: what the caller may change (admins: every tenant and department one) rather than what they may use.',
  }),
});

export type ListCannedResponsesQuery = z.infer<typeof listCannedResponsesQuerySchema>;

export function toCannedResponseDto(
  response: CannedResponse,
  canManage: boolean,
): CannedResponseDto {
  return {
    id: response.id,
    shortcut: response.shortcut,
    title: response.title,
    text: response.text,
    scope: response.scope,
    departmentId: response.department?.id ?? null,
    ownerId: response.owner?.id ?? null,
    canManage,
    createdAt: response.createdAt.toISOString(),
    updatedAt: response.updatedAt.toISOString(),
  };
}
