import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { FacebookPage } from '../facebook/facebook-page.entity.js';
import type { InboundAttachment } from '../facebook/inbound/messenger-events.js';
import type { User } from '../operators/user.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import type { Conversation } from './conversation.entity.js';

/** in: from the visitor; out: to the visitor; internal: a note between colleagues, never sent. */
export const MESSAGE_DIRECTIONS = ['in', 'out', 'internal'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

/** visitor: from Messenger; operator: sent from Omni; page_inbox: sent from Facebook's own tools; automatic: Omni's notices. */
export const MESSAGE_SOURCES = ['visitor', 'operator', 'page_inbox', 'automatic'] as const;
export type MessageSource = (typeof MESSAGE_SOURCES)[number];

export const MESSAGE_KINDS = [
  'text',
  'image',
  'video',
  'audio',
  'file',
  'location',
  'sticker',
  'fallback',
  'postback',
  'reaction',
  'referral',
  'other',
  /** An operator's private note (direction internal): colleagues see it, the visitor never. */
  'note',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Outbound delivery state; inbound messages have none. */
export const MESSAGE_STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** An attachment as stored: what Facebook gave, plus where Omni keeps its own copy. */
export type StoredAttachment = InboundAttachment & { storedFileId?: string | null };

/** One line of a conversation's history. */
export class Message extends TenantOwnedEntity {
  text: string | null = null;
  attachments: StoredAttachment[] = [];
  /** Facebook's message id, when there is one. */
  mid: string | null = null;
  operator: User | null = null;
  status: MessageStatus | null = null;
  error: string | null = null;
  editedAt: Date | null = null;
  /**
   * Outbound only: when the last call to the Send API began (null: none is in flight or
   * unresolved) and how many calls were made. A call whose outcome is unknown (a timeout, a
   * crash) keeps its time, so nobody calls again before the echo had its chance to arrive.
   */
  sendStartedAt: Date | null = null;
  sendAttempts = 0;
  /** A note's mentioned colleagues (user ids); empty for every other message. */
  mentions: string[] = [];
  /** Details that depend on the kind: quick reply payload, replied-to mid, reaction, referral, echo app. */
  details: Record<string, unknown> = {};

  constructor(
    tenant: Tenant,
    public conversation: Conversation,
    public page: FacebookPage,
    public direction: MessageDirection,
    public source: MessageSource,
    public kind: MessageKind,
    /** The platform's time of the message; the history is ordered by it. */
    public occurredAt: Date,
    /** What makes this message unique on its page (the mid, or a key built from the event). */
    public dedupKey: string,
  ) {
    super(tenant);
  }
}

export const MessageSchema = new EntitySchema<Message, TenantOwnedEntity>({
  class: Message,
  extends: 'TenantOwnedEntity',
  properties: {
    conversation: { kind: 'm:1', entity: 'Conversation', deleteRule: 'cascade' },
    page: { kind: 'm:1', entity: 'FacebookPage', deleteRule: 'cascade' },
    direction: { enum: true, items: () => MESSAGE_DIRECTIONS },
    source: { enum: true, items: () => MESSAGE_SOURCES },
    kind: { enum: true, items: () => MESSAGE_KINDS },
    text: { type: 'text', nullable: true },
    attachments: { type: 'json', default: '[]' },
    mid: { type: 'string', length: 255, nullable: true },
    dedupKey: { type: 'string', length: 255 },
    occurredAt: { type: 'datetime' },
    operator: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
    status: { enum: true, items: () => MESSAGE_STATUSES, nullable: true },
    error: { type: 'text', nullable: true },
    editedAt: { type: 'datetime', nullable: true },
    details: { type: 'json', default: '{}' },
    mentions: { type: 'json', default: '[]' },
    sendStartedAt: { type: 'datetime', nullable: true },
    sendAttempts: { type: 'integer', default: 0 },
  },
  uniques: [{ name: 'message_page_dedup_key_unique', properties: ['page', 'dedupKey'] }],
  indexes: [
    { name: 'message_conversation_occurred_at_index', properties: ['conversation', 'occurredAt'] },
    { name: 'message_page_mid_index', properties: ['page', 'mid'] },
    // The outbound sweep reads pending replies every few seconds: only those, by age.
    {
      name: 'message_pending_out_index',
      expression: `create index "message_pending_out_index" on "message" ("created_at") where "status" = 'pending' and "direction" = 'out'`,
    },
    // Search by a word of the text (pg_trgm): `text ilike '%word%'` reads this index.
    {
      name: 'message_text_trgm_index',
      expression: `create index "message_text_trgm_index" on "message" using gin ("text" gin_trgm_ops)`,
    },
  ],
});
