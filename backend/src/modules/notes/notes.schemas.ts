import { z } from 'zod';
import { idSchema } from '../../http/schemas.js';
import { isStorableText } from '../../text/storable-text.js';
import {
  toMessageDto,
  type FileLinker,
  type MessageDto,
} from '../conversations/conversations.schemas.js';
import type { Message } from '../conversations/message.entity.js';

/** A note is for colleagues, never for Messenger: longer than a reply may be, still bounded. */
export const NOTE_MAX_LENGTH = 4000;
/** Ids in one note's `mentions`. */
const MAX_MENTIONS = 50;

/** A note's text, alone (the notes route) or with a transfer. */
export const noteTextSchema = z
  .string()
  .trim()
  .min(1, 'Write something first.')
  .max(NOTE_MAX_LENGTH, `A note takes at most ${NOTE_MAX_LENGTH} characters.`)
  .refine(isStorableText, 'The note has characters that cannot be stored.');

export const createNoteSchema = z
  .object({
    text: noteTextSchema,
    mentions: z
      .array(idSchema)
      .max(MAX_MENTIONS, `Mention at most ${MAX_MENTIONS} colleagues in one note.`)
      .optional()
      .meta({
        description:
          'Colleagues to mention besides those named in the text as "@" + their name. Each must be a user of the tenant who may see the conversation (else 400 INVALID_MENTION); the author is never mentioned.',
      }),
  })
  .strict()
  .meta({ id: 'CreateNoteInput' });

export type NoteInput = z.infer<typeof createNoteSchema>;

export const mentionableColleaguesSchema = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string() }).meta({ id: 'Colleague' })),
});

/**
 * The payload of the socket event `mention.created`, sent to each mentioned user only. Socket
 * events are not in the OpenAPI document; the note route's description names this shape.
 */
export type MentionDto = {
  conversationId: string;
  /** The note (kind "note", direction "internal"). */
  message: MessageDto;
  /** The note's author; null once their account is deleted. */
  mentionedBy: { id: string; name: string } | null;
  /** The visitor of the conversation, as shown. */
  contactName: string;
};

/** Needs the note's `conversation.contact` and `operator` loaded. */
export function toMentionDto(note: Message, linkFile: FileLinker): MentionDto {
  return {
    conversationId: note.conversation.id,
    message: toMessageDto(note, linkFile),
    mentionedBy: note.operator ? { id: note.operator.id, name: note.operator.name } : null,
    contactName: note.conversation.contact.displayName,
  };
}
