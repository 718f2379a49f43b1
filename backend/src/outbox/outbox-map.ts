import type { DepartmentMenuMessage } from '../modules/department-menu/department-menu.js';
import type { MailKind } from '../modules/mail/mail.service.js';

/**
 * Every kind of outbox entry and its payload: what a committed change must still cause
 * (panel events, jobs, outbound webhooks). Payloads are JSON (ids, never secrets),
 * written in the transaction of the change they follow (see appendToOutbox).
 */
export type OutboxPayloads = {
  /** What follows a committed batch of inbound events, for one tenant (InboundFollowUps). */
  'inbound-follow-ups': InboundFollowUpsPayload;
  /** What follows a committed move in the queue (RoutingFollowUps). */
  'routing-changed': RoutingChangedPayload;
  /** What follows a stored or retried reply, or a queue notice (ReplyFollowUps). */
  'reply-stored': ReplyStoredPayload;
  /**
   * Conversations and messages whose new state the panels must be sent (ConversationBroadcaster):
   * a send's outcome, a downloaded attachment, fetched profiles, a page's reply window.
   */
  'conversations-changed': ConversationsChangedPayload;
  /** An operator was created, edited or changed status (OperatorFollowUps). */
  'operator-changed': OperatorChangedPayload;
  /** A Facebook page was deleted with its conversations (PageFollowUps). */
  'page-deleted': PageDeletedPayload;
  /** A private note written, alone or with a transfer (NoteFollowUps). */
  'note-stored': NoteStoredPayload;
  /** A mail the committed change calls for (an invitation, a reset link): a 'mail-send' job. */
  'mail-requested': MailRequestedPayload;
  /** Facebook refused a page's token during other work (a send, a profile): PageHealthService. */
  'page-token-refused': PageTokenRefusedPayload;
  /** A page's health changed: its operators and the admins are sent it ('page.updated'). */
  'page-health-changed': PageHealthChangedPayload;
  /** Conversations just closed: each gets its satisfaction survey when due (CsatSurveysService). */
  'csat-requested': CsatRequestedPayload;
  /** New conversations held for the department menu, and reminders: each is sent (DepartmentMenuService). */
  'department-menu-due': DepartmentMenuDuePayload;
  /** A department menu's message failed: its conversation is queued without a choice. */
  'department-menu-unsent': DepartmentMenuUnsentPayload;
  /** A visitor erased: their files' bytes go, the panels get the anonymous stubs. */
  'visitor-erased': VisitorErasedPayload;
  /**
   * Closed conversations whose thread Omni controlled (handover): each is passed back to the
   * page's primary app by a 'thread-control-pass' job (ThreadHandoverService).
   */
  'thread-returned': ThreadReturnedPayload;
};

export type OutboxKind = keyof OutboxPayloads;

/** The entry a handler performs, for what must be deterministic across its retries (job ids). */
export type OutboxEntryRef = { id: string; tenantId: string };

/**
 * What the dispatcher runs for each kind. Delivery is at least once (an entry performed by a
 * process that dies before deleting it is performed again), so every handler must be
 * idempotent in effect: jobs with deterministic ids, realtime events carrying full records.
 */
export type OutboxHandlers = {
  [K in OutboxKind]: (payload: OutboxPayloads[K], entry: OutboxEntryRef) => Promise<void>;
};

/** An inbound batch's consequences for one tenant, as ids (InboundOutcome in JSON). */
export type InboundFollowUpsPayload = {
  conversationIds: string[];
  /** Conversations that started waiting in the queue (new or reopened). */
  queuedConversationIds: string[];
  /** Conversations the batch opened (webhooks' conversation.created); absent in older entries. */
  createdConversationIds?: string[];
  newMessageIds: string[];
  updatedMessageIds: string[];
  /** Attachments to download into Omni's storage: message id and attachment position. */
  attachmentDownloads: { messageId: string; index: number }[];
  contactIdsNeedingProfile: string[];
};

/** A committed move in the queue (assignment, take, transfer, close, requeue), for one tenant. */
export type RoutingChangedPayload = {
  /** Conversations whose state the panels must be sent. */
  conversationIds: string[];
  /** Whether a chat started waiting or a slot freed up, so the dispatcher must run. */
  wakeDispatcher: boolean;
  /** First-response timeouts of automatic assignments: each checked at `dueAt`. */
  firstResponseChecks: { conversationId: string; assignedAt: string; dueAt: string }[];
  /** Conversations given to an operator by this move (webhooks' conversation.assigned). */
  assignedConversationIds?: string[];
  /** Conversations this move closed (webhooks' conversation.closed). */
  closedConversationIds?: string[];
};

/** A reply stored as pending (new, or failed and retried), to be sent and shown. */
export type ReplyStoredPayload = {
  conversationId: string;
  messageId: string;
  /** New (message.created) or retried (message.updated). */
  isNew: boolean;
  /** The 'outbound-send' job's id, fixed when the reply was stored. */
  sendJobId: string;
};

/** Panels are sent these conversations, and these messages as created or updated. */
export type ConversationsChangedPayload = {
  conversationIds: string[];
  createdMessageIds: string[];
  updatedMessageIds: string[];
};

/** An operator's changed record, and what it means for the queue. */
export type OperatorChangedPayload = {
  userId: string;
  /** Their status changed: the live queue figures count who is online. */
  queueChanged: boolean;
  /** They may take more chats now (online, more room, other departments). */
  wakeDispatcher: boolean;
};

/** The deleted page's record id, and Facebook's id of it (as realtime's DeletedPage). */
export type PageDeletedPayload = { id: string; pageId: string };

/** A note to show, and the users it mentions (each is told with `mention.created`). */
export type NoteStoredPayload = {
  conversationId: string;
  messageId: string;
  mentionedUserIds: string[];
};

/**
 * The mail's kind and the record it is written from (the entry names the tenant); for a mail
 * about one record to several users (a page incident to each admin), the user it goes to.
 */
export type MailRequestedPayload = { kind: MailKind; id: string; recipientId?: string };

/** The page's record id, and Facebook's reason, as GraphApiError.reason words it. */
export type PageTokenRefusedPayload = { id: string; reason: string };

/** The page's record id. */
export type PageHealthChangedPayload = { id: string };

/** The conversations a close (by hand or for inactivity) just closed. */
export type CsatRequestedPayload = { conversationIds: string[] };

/** The department menu's messages an inbound batch calls for, one per conversation. */
export type DepartmentMenuDuePayload = {
  offers: { conversationId: string; message: DepartmentMenuMessage }[];
};

/** The conversation whose menu (or reminder) could not be sent. */
export type DepartmentMenuUnsentPayload = { conversationId: string };
/** What follows a visitor's erasure (ContactsService.erase), for one tenant. */
export type VisitorErasedPayload = {
  /** Their conversations, now anonymous stubs without messages: sent to the panels again. */
  conversationIds: string[];
  /** Where the bytes of the files their messages held are (their records are gone). */
  storageKeys: string[];
  /** A held chat was closed: its operator has room for a waiting one. */
  wakeDispatcher: boolean;
};
/** Conversations just closed while Omni controlled their threads. */
export type ThreadReturnedPayload = { conversationIds: string[] };
