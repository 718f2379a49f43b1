import { z } from 'zod';
import { keysetCursorSchema } from '../../http/cursor.js';
import { idSchema } from '../../http/schemas.js';
import type { Conversation } from './conversation.entity.js';
import { CONVERSATION_STATUSES } from './conversation.entity.js';
import {
  MESSAGE_DIRECTIONS,
  MESSAGE_KINDS,
  MESSAGE_SOURCES,
  MESSAGE_STATUSES,
  type Message,
} from './message.entity.js';
import { computeReplyWindow } from './reply-window.js';

const attachmentSchema = z.object({
  kind: z.string(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  stickerId: z.string().nullable(),
  coordinates: z.object({ lat: z.number(), long: z.number() }).nullable(),
  fileUrl: z.string().nullable().meta({
    description:
      "Omni's own copy (a signed link); null until downloaded. `url` is Facebook's expiring link.",
  }),
});

export const messageSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    direction: z.enum(MESSAGE_DIRECTIONS),
    kind: z.enum(MESSAGE_KINDS),
    text: z.string().nullable(),
    attachments: z.array(attachmentSchema),
    source: z.enum(MESSAGE_SOURCES),
    operatorId: z.string().nullable(),
    status: z.enum(MESSAGE_STATUSES).nullable(),
    error: z.string().nullable(),
    editedAt: z.iso.datetime().nullable(),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.iso
      .datetime()
      .meta({ description: "The platform's time of the message (history order)." }),
  })
  .meta({ id: 'Message' });

export type MessageDto = z.infer<typeof messageSchema>;

export const conversationSchema = z
  .object({
    id: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    departmentId: z.string().nullable(),
    operatorId: z.string().nullable(),
    channel: z.object({ type: z.literal('facebook'), pageId: z.string(), pageName: z.string() }),
    contact: z.object({
      id: z.string(),
      psid: z.string(),
      name: z.string(),
      firstName: z
        .string()
        .nullable()
        .meta({ description: 'As Facebook gives it; null without a profile (unlike name)' }),
      lastName: z.string().nullable(),
      avatarUrl: z.string().nullable(),
      firstContactAt: z.iso
        .datetime()
        .meta({ description: 'When this visitor first wrote to the page' }),
    }),
    lastMessage: messageSchema.nullable(),
    lastInboundAt: z.iso.datetime().nullable(),
    replyWindow: z.object({
      closesAt: z.iso.datetime().nullable(),
      humanAgentClosesAt: z.iso.datetime().nullable(),
      canReply: z.boolean(),
      canReplyUntil: z.iso.datetime().nullable().meta({
        description:
          'The last moment any reply may go out: humanAgentClosesAt where the page has the feature, else closesAt',
      }),
      closesSoon: z.boolean().meta({
        description: 'Still open, and canReplyUntil is at most 2 hours away',
      }),
    }),
    waitingSince: z.iso.datetime().nullable().meta({
      description:
        "The visitor's oldest message not answered by a reply yet (notes and automatic notices do not answer); null when answered",
    }),
    queuedAt: z.iso.datetime().nullable(),
    assignedAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable(),
    unreadCount: z.number().int(),
  })
  .meta({ id: 'Conversation' });

export type ConversationDto = z.infer<typeof conversationSchema>;

export const listConversationsQuerySchema = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  mine: z.enum(['true', 'false']).optional(),
  departmentId: idSchema.optional(),
  q: z.string().trim().max(200).optional(),
  cursor: keysetCursorSchema.optional(),
});

export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;

export const cursorQuerySchema = z.object({ cursor: keysetCursorSchema.optional() });

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Makes the signed link of a stored file (files/file-urls.ts). */
export type FileLinker = (fileId: string) => string;

export function toMessageDto(message: Message, linkFile: FileLinker): MessageDto {
  return {
    id: message.id,
    conversationId: message.conversation.id,
    direction: message.direction,
    kind: message.kind,
    text: message.text,
    attachments: message.attachments.map(
      ({ kind, url, title, stickerId, coordinates, storedFileId }) => ({
        kind,
        url,
        title,
        stickerId,
        coordinates,
        fileUrl: storedFileId ? linkFile(storedFileId) : null,
      }),
    ),
    source: message.source,
    operatorId: message.operator?.id ?? null,
    status: message.status,
    error: message.error,
    editedAt: iso(message.editedAt),
    details: message.details,
    createdAt: message.occurredAt.toISOString(),
  };
}

/** Needs `contact` and `page` loaded; `waitingSince` from `findWaitingSince`. */
export function toConversationDto(
  conversation: Conversation,
  lastMessage: Message | null,
  now: Date,
  linkFile: FileLinker,
  waitingSince: Date | null,
): ConversationDto {
  const { contact, page } = conversation;
  const window = computeReplyWindow(contact.lastInboundAt, page.humanAgentEnabled, now);
  return {
    id: conversation.id,
    status: conversation.status,
    departmentId: conversation.department?.id ?? null,
    operatorId: conversation.operator?.id ?? null,
    channel: { type: 'facebook', pageId: page.pageId, pageName: page.pageName },
    contact: {
      id: contact.id,
      psid: contact.psid,
      name: contact.displayName,
      firstName: contact.firstName,
      lastName: contact.lastName,
      avatarUrl: contact.avatarUrl,
      firstContactAt: contact.createdAt.toISOString(),
    },
    lastMessage: lastMessage ? toMessageDto(lastMessage, linkFile) : null,
    lastInboundAt: iso(contact.lastInboundAt),
    replyWindow: {
      closesAt: iso(window.closesAt),
      humanAgentClosesAt: iso(window.humanAgentClosesAt),
      canReply: window.canReply,
      canReplyUntil: iso(window.canReplyUntil),
      closesSoon: window.closesSoon,
    },
    waitingSince: iso(waitingSince),
    queuedAt: iso(conversation.queuedAt),
    assignedAt: iso(conversation.assignedAt),
    closedAt: iso(conversation.closedAt),
    unreadCount: conversation.unreadCount,
  };
}
