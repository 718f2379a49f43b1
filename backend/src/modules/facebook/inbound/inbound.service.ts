import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7, validate as isUuid } from 'uuid';
import { scopeToTenant, TENANT_FILTER } from '../../../db/tenant-filter.js';
import { Contact } from '../../conversations/contact.entity.js';
import { isProfileStale } from '../../conversations/contact-profiles.service.js';
import { Conversation } from '../../conversations/conversation.entity.js';
import { Message, type MessageKind } from '../../conversations/message.entity.js';
import { ConversationEvent } from '../../routing/conversation-event.entity.js';
import { FacebookPage } from '../facebook-page.entity.js';
import { WebhookEvent } from '../webhook-event.entity.js';
import { parseDelivery } from './messenger-parser.js';
import {
  PAGE_INBOX_APP_ID,
  WINDOW_OPENING_EVENT_TYPES,
  type DiagnosticEvent,
  type EchoEvent,
  type MessageContent,
  type MessengerEvent,
} from './messenger-events.js';

/** After this many failed attempts a delivery is marked failed rather than retried. */
export const MAX_PROCESSING_ATTEMPTS = 10;

/**
 * How long an edit waits for the message it edits. Deliveries are processed concurrently, so
 * an edit can be handled before the delivery that carries its message: its delivery is
 * retried (BullMQ's backoff: 1, 2, 4 s) while it is this young and has failed fewer times than
 * this; then the edit (of a message Omni never got) is kept as a diagnostic, well before
 * MAX_PROCESSING_ATTEMPTS could fail the delivery's other events.
 */
export const EDIT_WAITS_FOR_MESSAGE_MS = 60_000;
export const EDIT_WAITS_FOR_MESSAGE_ATTEMPTS = 3;

/** Thrown to process the delivery again later (its job is retried; nothing is committed). */
export class NotYetProcessableError extends Error {
  override readonly name = 'NotYetProcessableError';
}

/** What changed while processing, for the realtime panel and follow-up jobs after commit. */
export type InboundOutcome = {
  tenantId: string;
  conversationIds: Set<string>;
  /** Conversations that started waiting in the queue (new or reopened). */
  queuedConversationIds: Set<string>;
  newMessageIds: string[];
  /** Attachments to download into Omni's storage: message id and attachment position. */
  attachmentDownloads: { messageId: string; index: number }[];
  updatedMessageIds: Set<string>;
  contactIdsNeedingProfile: Set<string>;
};

/**
 * Applies a stored webhook delivery to contacts, conversations and messages — exactly once.
 * A message is unique per (page, dedup key), so a delivery processed twice, or the same event
 * in two deliveries, changes nothing the second time. Each contact row is locked while its
 * events are applied, so concurrent workers never create two open conversations for it.
 */
export class InboundService {
  constructor(private readonly em: EntityManager) {}

  async processEvent(eventId: string): Promise<InboundOutcome | null> {
    return this.em.transactional(async (em) => {
      const event = await em.findOne(WebhookEvent, eventId, {
        filters: { [TENANT_FILTER]: false },
        lockMode: LockMode.PESSIMISTIC_WRITE,
      });
      // Gone, done by another worker, or kept for diagnosis only.
      if (!event || event.status !== 'pending' || event.rawBody === null) return null;
      scopeToTenant(em, event.tenant.id);
      const events = parseDelivery(event.rawBody, { pageIds: new Set(event.pageIds) });
      const pages = await em.find(FacebookPage, { pageId: { $in: event.pageIds } });
      const pagesById = new Map(pages.map((page) => [page.pageId, page]));
      const outcome: InboundOutcome = {
        tenantId: event.tenant.id,
        conversationIds: new Set(),
        queuedConversationIds: new Set(),
        newMessageIds: [],
        attachmentDownloads: [],
        updatedMessageIds: new Set(),
        contactIdsNeedingProfile: new Set(),
      };
      for (const messengerEvent of events) {
        const page = pagesById.get(messengerEvent.pageId);
        if (!page) continue; // deleted since the delivery was stored: dropped
        if (isDiagnostic(messengerEvent) || !messengerEvent.psid) {
          const { type, pageId, psid } = messengerEvent;
          event.diagnostics = [...event.diagnostics, { type, pageId, psid }];
          continue;
        }
        await this.apply(em, page, messengerEvent, outcome, event);
      }
      const lastEventAt = events.at(-1)?.occurredAt;
      for (const page of pages)
        if (lastEventAt && isWorthRecording(page.lastEventAt, lastEventAt))
          page.lastEventAt = lastEventAt;
      event.status = 'processed';
      event.processedAt = new Date();
      event.attempts += 1;
      await em.flush();
      return outcome;
    });
  }

  /**
   * Counts a failed attempt on the stored delivery; after MAX_PROCESSING_ATTEMPTS it is
   * marked failed (kept for diagnosis) instead of being swept back into the queue forever.
   */
  async recordFailure(eventId: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.em.getConnection().execute(
      `update webhook_event set attempts = attempts + 1, last_error = ?,
         status = case when attempts + 1 >= ? then 'failed' else status end
       where id = ? and status = 'pending'`,
      [message.slice(0, 2000), MAX_PROCESSING_ATTEMPTS, eventId],
    );
  }

  private async apply(
    em: EntityManager,
    page: FacebookPage,
    event: MessengerEvent,
    outcome: InboundOutcome,
    delivery: WebhookEvent,
  ): Promise<void> {
    const contact = await this.lockContact(em, page, event.psid, outcome);
    if (
      WINDOW_OPENING_EVENT_TYPES.has(event.type) &&
      (!contact.lastInboundAt || contact.lastInboundAt < event.occurredAt)
    ) {
      contact.lastInboundAt = event.occurredAt;
    }
    switch (event.type) {
      case 'message':
        return this.addVisitorMessage(
          em,
          page,
          contact,
          event.message,
          event.occurredAt,
          outcome,
          {},
        );
      case 'postback':
        return this.addVisitorLine(em, page, contact, outcome, {
          kind: 'postback',
          text: event.title ?? event.payload,
          occurredAt: event.occurredAt,
          dedupKey: event.mid ?? `postback:${event.psid}:${event.occurredAt.getTime()}`,
          mid: event.mid,
          details: { payload: event.payload, referral: event.referral },
        });
      case 'reaction':
        return this.addVisitorLine(em, page, contact, outcome, {
          kind: 'reaction',
          text: event.emoji ?? event.reaction,
          occurredAt: event.occurredAt,
          dedupKey: `reaction:${event.mid}:${event.action}:${event.occurredAt.getTime()}`,
          mid: null,
          details: { action: event.action, reaction: event.reaction, targetMid: event.mid },
        });
      case 'referral':
        return this.addVisitorLine(em, page, contact, outcome, {
          kind: 'referral',
          text: event.referral.ref,
          occurredAt: event.occurredAt,
          dedupKey: `referral:${event.psid}:${event.occurredAt.getTime()}`,
          mid: null,
          details: { referral: event.referral },
        });
      case 'echo':
        return this.applyEcho(em, page, contact, event, outcome);
      case 'delivery':
        return this.advanceOutbound(
          em,
          page,
          contact,
          'delivered',
          event.watermark,
          event.mids,
          outcome,
        );
      case 'read':
        return this.advanceOutbound(em, page, contact, 'read', event.watermark, [], outcome);
      case 'message_edit':
        return this.applyEdit(em, page, event, outcome, delivery);
    }
  }

  /** Finds or creates the contact, then locks its row until the transaction ends. */
  private async lockContact(
    em: EntityManager,
    page: FacebookPage,
    psid: string,
    outcome: InboundOutcome,
  ): Promise<Contact> {
    // An upsert that cannot race: the unique (page, psid) decides who creates the contact.
    const inserted: { affectedRows: number } = await em
      .getConnection()
      .execute(
        'insert into contact (id, tenant_id, page_id, psid) values (?, ?, ?, ?) on conflict (page_id, psid) do nothing',
        [uuidv7(), page.tenant.id, page.id, psid],
        'run',
        em.getTransactionContext(),
      );
    // Lock the contact row alone (`FOR UPDATE OF c0`): the ORM joins the filtered page, and
    // locking that row too made every two events of one page deadlock.
    const contact = await em.findOneOrFail(
      Contact,
      { page, psid },
      { lockMode: LockMode.PESSIMISTIC_WRITE, lockTableAliases: ['c0'], refresh: true },
    );
    if (inserted.affectedRows > 0 || isProfileStale(contact, new Date())) {
      outcome.contactIdsNeedingProfile.add(contact.id);
    }
    return contact;
  }

  /** The contact's open conversation; a closed one reopens into the queue; or a new one. */
  private async conversationFor(
    em: EntityManager,
    page: FacebookPage,
    contact: Contact,
    at: Date,
    outcome: InboundOutcome,
  ): Promise<Conversation> {
    const latest = await em.findOne(Conversation, { contact }, { orderBy: { createdAt: 'desc' } });
    let conversation = latest;
    if (!conversation) {
      conversation = new Conversation(page.tenant, contact, page, page.department);
      conversation.queuedAt = at;
      em.persist(conversation);
      this.recordQueued(em, conversation, 'new_conversation');
      outcome.queuedConversationIds.add(conversation.id);
    } else if (conversation.status === 'closed') {
      conversation.reopen(new Date());
      conversation.department = page.department;
      this.recordQueued(em, conversation, 'visitor_wrote');
      outcome.queuedConversationIds.add(conversation.id);
    }
    outcome.conversationIds.add(conversation.id);
    return conversation;
  }

  private recordQueued(
    em: EntityManager,
    conversation: Conversation,
    reason: 'new_conversation' | 'visitor_wrote',
  ): void {
    const event = new ConversationEvent(
      conversation.tenant,
      conversation,
      'queued',
      reason,
      conversation.queuedAt ?? new Date(),
    );
    event.department = conversation.department;
    em.persist(event);
  }

  private async addVisitorMessage(
    em: EntityManager,
    page: FacebookPage,
    contact: Contact,
    content: MessageContent,
    occurredAt: Date,
    outcome: InboundOutcome,
    extraDetails: Record<string, unknown>,
  ): Promise<void> {
    await this.addVisitorLine(em, page, contact, outcome, {
      kind: kindOf(content),
      text: content.text,
      occurredAt,
      dedupKey: content.mid,
      mid: content.mid,
      attachments: content.attachments,
      details: {
        ...extraDetails,
        ...(content.quickReplyPayload ? { quickReplyPayload: content.quickReplyPayload } : {}),
        ...(content.replyToMid ? { replyToMid: content.replyToMid } : {}),
        ...(content.stickerId ? { stickerId: content.stickerId } : {}),
      },
    });
  }

  private async addVisitorLine(
    em: EntityManager,
    page: FacebookPage,
    contact: Contact,
    outcome: InboundOutcome,
    line: {
      kind: MessageKind;
      text: string | null;
      occurredAt: Date;
      dedupKey: string;
      mid: string | null;
      attachments?: Message['attachments'];
      details: Record<string, unknown>;
    },
  ): Promise<void> {
    if (await this.isKnown(em, page, line.dedupKey)) return;
    const conversation = await this.conversationFor(em, page, contact, line.occurredAt, outcome);
    const message = new Message(
      page.tenant,
      conversation,
      page,
      'in',
      'visitor',
      line.kind,
      line.occurredAt,
      line.dedupKey,
    );
    message.text = line.text;
    message.mid = line.mid;
    message.attachments = line.attachments ?? [];
    message.details = line.details;
    em.persist(message);
    if (!conversation.lastMessageAt || conversation.lastMessageAt < line.occurredAt)
      conversation.lastMessageAt = line.occurredAt;
    conversation.unreadCount += 1;
    outcome.newMessageIds.push(message.id);
    message.attachments.forEach((attachment, index) => {
      if (attachment.url) outcome.attachmentDownloads.push({ messageId: message.id, index });
    });
  }

  /**
   * The echo of Omni's own send only confirms that message (its metadata is Omni's message
   * id); any other echo is a reply sent from Facebook's side and joins the history.
   */
  private async applyEcho(
    em: EntityManager,
    page: FacebookPage,
    contact: Contact,
    event: EchoEvent,
    outcome: InboundOutcome,
  ): Promise<void> {
    const ownMessageId = event.metadata && isUuid(event.metadata) ? event.metadata : null;
    const own =
      (ownMessageId
        ? await em.findOne(Message, { id: ownMessageId, page, direction: 'out' })
        : null) ?? (await em.findOne(Message, { page, mid: event.message.mid, direction: 'out' }));
    if (own) {
      own.mid = event.message.mid;
      if (own.status === 'pending' || own.status === 'failed') own.status = 'sent';
      outcome.updatedMessageIds.add(own.id);
      outcome.conversationIds.add(own.conversation.id);
      return;
    }
    if (await this.isKnown(em, page, event.message.mid)) return;
    const conversation = await this.conversationFor(em, page, contact, event.occurredAt, outcome);
    const message = new Message(
      page.tenant,
      conversation,
      page,
      'out',
      'page_inbox',
      kindOf(event.message),
      event.occurredAt,
      event.message.mid,
    );
    message.text = event.message.text;
    message.mid = event.message.mid;
    message.attachments = event.message.attachments;
    message.status = 'sent';
    message.details = {
      appId: event.appId,
      isFacebookPageInbox: event.appId === PAGE_INBOX_APP_ID,
    };
    em.persist(message);
    if (!conversation.lastMessageAt || conversation.lastMessageAt < event.occurredAt)
      conversation.lastMessageAt = event.occurredAt;
    outcome.newMessageIds.push(message.id);
  }

  /** Delivery and read receipts move outbound messages forward, never back. */
  private async advanceOutbound(
    em: EntityManager,
    page: FacebookPage,
    contact: Contact,
    to: 'delivered' | 'read',
    watermark: Date,
    mids: string[],
    outcome: InboundOutcome,
  ): Promise<void> {
    const from = to === 'delivered' ? ['sent'] : ['sent', 'delivered'];
    const candidates = await em.find(Message, {
      page,
      direction: 'out',
      status: { $in: from as ('sent' | 'delivered')[] },
      conversation: { contact },
      $or: [
        { occurredAt: { $lte: watermark } },
        ...(mids.length > 0 ? [{ mid: { $in: mids } }] : []),
      ],
    });
    for (const message of candidates) {
      message.status = to;
      outcome.updatedMessageIds.add(message.id);
      outcome.conversationIds.add(message.conversation.id);
    }
  }

  private async applyEdit(
    em: EntityManager,
    page: FacebookPage,
    edit: Extract<MessengerEvent, { type: 'message_edit' }>,
    outcome: InboundOutcome,
    delivery: WebhookEvent,
  ): Promise<void> {
    const message = await em.findOne(Message, { page, mid: edit.mid });
    if (!message) {
      const isYoung = Date.now() - delivery.createdAt.getTime() < EDIT_WAITS_FOR_MESSAGE_MS;
      if (isYoung && delivery.attempts < EDIT_WAITS_FOR_MESSAGE_ATTEMPTS) {
        throw new NotYetProcessableError(`The edited message ${edit.mid} is not stored yet.`);
      }
      delivery.diagnostics = [
        ...delivery.diagnostics,
        { type: 'message_edit', pageId: edit.pageId, psid: edit.psid },
      ];
      return;
    }
    const previousCount = Number(message.details['editCount'] ?? 0);
    if (edit.editCount <= previousCount) return; // an older edit arriving late
    message.text = edit.text;
    message.editedAt = edit.occurredAt;
    message.details = { ...message.details, editCount: edit.editCount };
    outcome.updatedMessageIds.add(message.id);
    outcome.conversationIds.add(message.conversation.id);
  }

  /** Uses the unique (page, dedup key) index alone; the ORM would join every filtered relation. */
  private async isKnown(em: EntityManager, page: FacebookPage, dedupKey: string): Promise<boolean> {
    const rows = await em
      .getConnection()
      .execute(
        'select 1 from message where page_id = ? and dedup_key = ? limit 1',
        [page.id, dedupKey],
        'all',
        em.getTransactionContext(),
      );
    return rows.length > 0;
  }
}

/**
 * The page's "last event" is a status for its admin; writing it on every event would make
 * every event of a busy page wait for the same row. A minute's precision is enough.
 */
function isWorthRecording(recorded: Date | null, latest: Date): boolean {
  return !recorded || latest.getTime() - recorded.getTime() > 60_000;
}

function isDiagnostic(event: MessengerEvent): event is DiagnosticEvent {
  return event.type === 'optin' || event.type === 'handover' || event.type === 'unknown';
}

function kindOf(content: MessageContent): MessageKind {
  if (content.stickerId) return 'sticker';
  const first = content.attachments[0];
  if (!first) return 'text';
  switch (first.kind) {
    case 'image':
    case 'video':
    case 'audio':
    case 'file':
    case 'location':
    case 'sticker':
    case 'fallback':
      return first.kind;
    default:
      return 'other';
  }
}
