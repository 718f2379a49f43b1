import { z } from 'zod';
import { keysetCursorSchema } from '../../http/cursor.js';
import { ERROR_CODE_PARAM, idSchema } from '../../http/schemas.js';
import { labelSummarySchema, type LabelSummary } from '../labels/labels.schemas.js';
import type { Contact } from './contact.entity.js';
import type { Conversation } from './conversation.entity.js';
import { CONVERSATION_STATUSES, THREAD_CONTROLS } from './conversation.entity.js';
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
    mentions: z
      .array(z.string())
      .meta({ description: "A note's mentioned colleagues (user ids); empty for other messages." }),
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
      erased: z.boolean().meta({
        description:
          "The visitor's data was erased (DELETE /api/contacts/:id): an anonymous stub, without name, photo, PSID or messages",
      }),
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
    csat: z
      .object({
        score: z.number().int().min(1).max(5),
        answeredAt: z.iso.datetime(),
      })
      .nullable()
      .meta({
        id: 'CsatAnswer',
        description:
          "The visitor's rating (1–5) of its latest satisfaction survey; null: none asked or not answered",
      }),
    unreadCount: z.number().int(),
    threadControl: z.enum(THREAD_CONTROLS).nullable().meta({
      description:
        "Handover protocol (the page's `handover.enabled`): `omni` while Omni controls the visitor's thread, `other_app` while another app (the page's bot) does and replies are refused until control is passed; null when the page does not use the protocol or nothing is known yet",
    }),
    labels: z.array(labelSummarySchema).meta({ description: 'Its labels, by name' }),
  })
  .meta({ id: 'Conversation' });

export type ConversationDto = z.infer<typeof conversationSchema>;

/** An ISO 8601 instant with its offset (`2026-12-03T10:00:00Z`, `…+03:00`). */
const instantSchema = z.iso
  .datetime({ offset: true, error: 'Give an ISO 8601 instant, e.g. 2026-12-03T10:00:00Z.' })
  .transform((text) => new Date(text));

export const listConversationsQuerySchema = z
  .object({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    mine: z.enum(['true', 'false']).optional(),
    departmentId: idSchema.optional(),
    operatorId: idSchema.optional().meta({ description: 'Held (or, closed, last held) by' }),
    pageId: idSchema.optional().meta({ description: "Omni's page `id` (not Facebook's)" }),
    from: instantSchema
      .optional()
      .meta({ description: 'Last activity at or after this instant (ISO 8601)' }),
    to: instantSchema.optional().meta({ description: 'Last activity before this instant' }),
    q: z.string().trim().max(200).optional().meta({
      description:
        'A piece of the visitor name or of a message text, any case; every status unless `status` is given. Hits that matched a message carry `match`.',
    }),
    labelId: idSchema.optional().meta({ description: 'Only conversations carrying this label' }),
    cursor: keysetCursorSchema.optional(),
  })
  .superRefine((query, context) => {
    if (query.from && query.to && query.from >= query.to) {
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'Give a period that ends after it starts.',
        params: { [ERROR_CODE_PARAM]: 'INVALID_PERIOD' },
      });
    }
  });

export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;

/** A conversation in a list; a search hit that matched a message says which. */
export const conversationListItemSchema = conversationSchema
  .extend({
    match: z
      .object({
        messageId: z.string(),
        snippet: z
          .string()
          .meta({ description: 'A short excerpt of the message around the matched text' }),
      })
      .optional()
      .meta({ description: 'The newest message that matched `q` (absent: the name matched)' }),
  })
  .meta({ id: 'ConversationListItem' });

export type ConversationListItemDto = z.infer<typeof conversationListItemSchema>;

export const listMessagesQuerySchema = z
  .object({
    cursor: keysetCursorSchema
      .optional()
      .meta({ description: 'The `nextCursor` of a page: the messages before it.' }),
    after: keysetCursorSchema
      .optional()
      .meta({ description: 'The `newerCursor` of a page: the messages after it, oldest first.' }),
    around: idSchema.optional().meta({
      description:
        'A message of this conversation: the page of history around it (some before, it, some after).',
    }),
  })
  .superRefine((query, context) => {
    const given = (['cursor', 'after', 'around'] as const).filter((key) => query[key]);
    if (given.length > 1) {
      context.addIssue({
        code: 'custom',
        path: [given[1]!],
        message: 'Give only one of cursor, after and around.',
      });
    }
  });

export type ListMessagesQuery = z.infer<typeof listMessagesQuerySchema>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A page of history; `newerCursor` continues towards the present when the page is not the newest. */
export const messagePageSchema = pageOf(messageSchema)
  .extend({
    newerCursor: z.string().nullable().meta({
      description:
        'Pass as `after` for the messages after this page; null when nothing newer was left out (always null without `around`/`after`).',
    }),
  })
  .meta({ id: 'MessagePage' });

export type MessagePageDto = z.infer<typeof messagePageSchema>;

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
    mentions: message.mentions,
    createdAt: message.occurredAt.toISOString(),
  };
}

/** The visitor as a conversation shows them (and GET /api/contacts/:id begins with). */
export function toContactSummary(contact: Contact): ConversationDto['contact'] {
  return {
    id: contact.id,
    // The stand-in's own id is no PSID: shown as none.
    psid: contact.erasedAt ? '' : contact.psid,
    name: contact.displayName,
    firstName: contact.firstName,
    lastName: contact.lastName,
    avatarUrl: contact.avatarUrl,
    firstContactAt: contact.createdAt.toISOString(),
    erased: contact.erasedAt !== null,
  };
}

/** What a conversation's record shows beyond its row (read by presentConversations). */
export type ConversationRelated = {
  lastMessage: Message | null;
  labels: LabelSummary[];
  /** The visitor's oldest message not answered yet (findWaitingSince). */
  waitingSince: Date | null;
};

/** Needs `contact` and `page` loaded; use presentConversations, which reads the rest. */
export function toConversationDto(
  conversation: Conversation,
  { lastMessage, labels, waitingSince }: ConversationRelated,
  now: Date,
  linkFile: FileLinker,
): ConversationDto {
  const { contact, page } = conversation;
  const window = computeReplyWindow(contact.lastInboundAt, page.humanAgentEnabled, now);
  return {
    id: conversation.id,
    status: conversation.status,
    departmentId: conversation.department?.id ?? null,
    operatorId: conversation.operator?.id ?? null,
    channel: { type: 'facebook', pageId: page.pageId, pageName: page.pageName },
    contact: toContactSummary(contact),
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
    csat:
      conversation.csatScore !== null && conversation.csatAnsweredAt
        ? { score: conversation.csatScore, answeredAt: conversation.csatAnsweredAt.toISOString() }
        : null,
    unreadCount: conversation.unreadCount,
    threadControl: conversation.page.handoverEnabled ? conversation.threadControl : null,
    labels,
  };
}
