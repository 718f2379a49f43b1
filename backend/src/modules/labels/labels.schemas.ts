import { z } from 'zod';
import { idSchema } from '../../http/schemas.js';
import type { Label } from './label.entity.js';

export const MAX_LABEL_NAME_LENGTH = 40;
/** More than any panel shows on a chat; a bound on what one request may write. */
export const MAX_LABELS_PER_CONVERSATION = 20;

const nameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(MAX_LABEL_NAME_LENGTH, `Use at most ${MAX_LABEL_NAME_LENGTH} characters.`)
  .meta({ description: 'Unique in the workspace, ignoring case.' });

/** Stored lower case, so one colour is always written one way. */
const colorSchema = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #1a7f5a.')
  .transform((color) => color.toLowerCase())
  .meta({ description: '`#rrggbb`', example: '#1a7f5a' });

/** What a conversation carries of each of its labels (`Conversation.labels`). */
export const labelSummarySchema = z
  .object({ id: z.string(), name: z.string(), color: z.string() })
  .meta({ id: 'LabelSummary' });

export type LabelSummary = z.infer<typeof labelSummarySchema>;

export const labelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    color: z.string().meta({ description: '`#rrggbb`, lower case' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Label' });

export type LabelDto = z.infer<typeof labelSchema>;

export const createLabelSchema = z
  .object({ name: nameSchema, color: colorSchema })
  .meta({ id: 'CreateLabelInput' });

export type CreateLabelInput = z.infer<typeof createLabelSchema>;

export const updateLabelSchema = z
  .object({ name: nameSchema.optional(), color: colorSchema.optional() })
  .meta({ id: 'UpdateLabelInput' });

export type UpdateLabelInput = z.infer<typeof updateLabelSchema>;

export const setConversationLabelsSchema = z
  .object({
    labelIds: z
      .array(idSchema)
      .max(MAX_LABELS_PER_CONVERSATION, `Use at most ${MAX_LABELS_PER_CONVERSATION} labels.`)
      .meta({ description: "Every label the conversation should carry (the tenant's); [] clears" }),
  })
  .meta({ id: 'SetConversationLabelsInput' });

export type SetConversationLabelsInput = z.infer<typeof setConversationLabelsSchema>;

export function toLabelDto(label: Label): LabelDto {
  return {
    id: label.id,
    name: label.name,
    color: label.color,
    createdAt: label.createdAt.toISOString(),
    updatedAt: label.updatedAt.toISOString(),
  };
}
