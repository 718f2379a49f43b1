import { z } from 'zod';
import { idSchema } from '../../http/schemas.js';
import { noteTextSchema } from '../notes/notes.schemas.js';
import { OPERATOR_STATUSES } from '../operators/user.entity.js';
import type { ConversationEvent } from '../conversations/conversation-event.entity.js';
import {
  CONVERSATION_EVENT_REASONS,
  CONVERSATION_EVENT_TYPES,
} from '../conversations/conversation-event.entity.js';

/** Steering (admins and supervisors): the operator who gets the chat. */
export const assignSchema = z
  .object({
    operatorId: idSchema,
    force: z
      .boolean()
      .optional()
      .meta({ description: "Give it even when the operator's capacity is reached" }),
  })
  .strict()
  .meta({ id: 'AssignTarget' });

/** For whoever gets the chat: stored as a note, the newest message when they open it. */
const transferNoteSchema = noteTextSchema.optional().meta({
  description:
    'A note for whoever gets the chat, stored with the transfer as a note message ("@" + a name mentions a colleague who can see it)',
});

export const transferSchema = z
  .union([
    z.object({ operatorId: idSchema, note: transferNoteSchema }).strict(),
    z.object({ departmentId: idSchema, note: transferNoteSchema }).strict(),
  ])
  .meta({ id: 'TransferTarget' });

const personSchema = z.object({ id: z.string().nullable(), name: z.string() }).nullable();

export const conversationEventSchema = z
  .object({
    id: z.string(),
    type: z.enum(CONVERSATION_EVENT_TYPES),
    reason: z.enum(CONVERSATION_EVENT_REASONS),
    occurredAt: z.iso.datetime(),
    actor: personSchema.meta({ description: 'Who did it; null when Omni did (the dispatcher).' }),
    operator: personSchema.meta({ description: 'The operator it went to or came from.' }),
    departmentId: z.string().nullable(),
  })
  .meta({ id: 'ConversationEvent' });

export type ConversationEventDto = z.infer<typeof conversationEventSchema>;

export function toConversationEventDto(event: ConversationEvent): ConversationEventDto {
  const person = (id: string | undefined, name: string | null) =>
    name === null ? null : { id: id ?? null, name };
  return {
    id: event.id,
    type: event.type,
    reason: event.reason,
    occurredAt: event.occurredAt.toISOString(),
    actor: person(event.actor?.id, event.actorName),
    operator: person(event.operator?.id, event.operatorName),
    departmentId: event.department?.id ?? null,
  };
}

const departmentFiguresSchema = z.object({
  departmentId: z.string().nullable().meta({ description: 'null: pages without a department' }),
  waiting: z.number().int(),
  oldestQueuedAt: z.iso.datetime().nullable().meta({ description: 'The longest wait began then' }),
  inProgress: z.number().int(),
  operatorsOnline: z.number().int(),
  freeSlots: z.number().int().meta({ description: 'Room left with the online operators' }),
  open: z.boolean().meta({ description: 'Open now by its business hours (always, without)' }),
});

export const queueFiguresSchema = z
  .object({
    at: z.iso.datetime(),
    departments: z.array(departmentFiguresSchema),
    operators: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: z.enum(OPERATOR_STATUSES),
        load: z.number().int().meta({ description: 'Chats they hold' }),
        capacity: z.number().int(),
        departmentIds: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'QueueFigures' });

export type QueueFigures = z.infer<typeof queueFiguresSchema>;
