/**
 * Messenger webhook events, normalised: what Omni does with a delivery no longer depends on
 * the many shapes Facebook sends (../../../../../../shared/docs/messenger-platform.md).
 * `parseDelivery` (messenger-parser.ts) turns a verified delivery into a list of these.
 */

/** Where an event came from inside an entry: `messaging` (Omni's app controls the thread) or `standby`. */
export type EventChannel = 'messaging' | 'standby';

type EventBase = {
  /** The Facebook page the entry belongs to (entry.id). */
  pageId: string;
  /**
   * The visitor's page-scoped id: the sender of visitor events, the recipient of echoes.
   * Opt-ins without a sender carry the plugin's `user_ref`; '' when an item names nobody.
   */
  psid: string;
  /** The platform's own time of the event (ms → Date), never the time it arrived. */
  occurredAt: Date;
  channel: EventChannel;
};

export type AttachmentKind =
  | 'image'
  | 'video'
  | 'audio'
  | 'file'
  | 'location'
  | 'sticker'
  | 'fallback'
  | 'reel'
  | 'post'
  | 'template'
  | 'other';

export type InboundAttachment = {
  kind: AttachmentKind;
  /** The CDN URL Facebook gave (expires); absent for locations and some fallbacks. */
  url: string | null;
  title: string | null;
  stickerId: string | null;
  coordinates: { lat: number; long: number } | null;
  /** Facebook's original type (`ig_reel` for a reel, `image` for a legacy sticker), kept for unknown kinds. */
  facebookType: string;
};

export type MessageContent = {
  mid: string;
  text: string | null;
  attachments: InboundAttachment[];
  /** A sticker comes as `sticker_id` and/or an attachment; it is one sticker either way. */
  stickerId: string | null;
  quickReplyPayload: string | null;
  replyToMid: string | null;
};

/** A visitor's message (text and/or attachments, quick reply, reply). Opens the reply window. */
export type VisitorMessageEvent = EventBase & { type: 'message'; message: MessageContent };

/**
 * A message the page sent, echoed back. `appId` and `metadata` tell Omni's own sends (which
 * carry Omni's message id in metadata) from replies typed in Facebook's Page Inbox.
 */
export type EchoEvent = EventBase & {
  type: 'echo';
  message: MessageContent;
  appId: string | null;
  metadata: string | null;
};

/** Everything the page sent before `watermark` was delivered; `mids` may name some of them. */
export type DeliveryEvent = EventBase & { type: 'delivery'; mids: string[]; watermark: Date };

/** Everything the page sent at or before `watermark` was read. */
export type ReadEvent = EventBase & { type: 'read'; watermark: Date };

/** A button or Get Started tap. Opens the reply window. */
export type PostbackEvent = EventBase & {
  type: 'postback';
  mid: string | null;
  title: string | null;
  payload: string | null;
  referral: Referral | null;
};

export type Referral = {
  ref: string | null;
  source: string | null;
  type: string | null;
  adId: string | null;
};

/** A reaction added or removed on a message. Opens the reply window. */
export type ReactionEvent = EventBase & {
  type: 'reaction';
  action: 'react' | 'unreact';
  reaction: string | null;
  emoji: string | null;
  /** The message reacted to. */
  mid: string;
};

/** The visitor entered an existing thread through a link or an ad. Opens the reply window. */
export type ReferralEvent = EventBase & { type: 'referral'; referral: Referral };

/** The visitor edited a message (at most 5 times). */
export type MessageEditEvent = EventBase & {
  type: 'message_edit';
  mid: string;
  text: string;
  editCount: number;
};

/**
 * A `messaging_handovers` event about the visitor's thread: an app passed it on, took it, or
 * asked for it. App ids as strings; null when Facebook gave none (an idle thread's previous
 * owner). Handled only on pages that use the protocol; elsewhere it is a diagnostic.
 */
export type ThreadControlEvent = EventBase & {
  type: 'thread_control';
  action: 'pass_thread_control' | 'take_thread_control' | 'request_thread_control';
  newOwnerAppId: string | null;
  previousOwnerAppId: string | null;
  requestedOwnerAppId: string | null;
  metadata: string | null;
  raw: Record<string, unknown>;
};

/**
 * Recorded for diagnosis, not routed: opt-ins, app role changes, anything unknown, and
 * items naming something Omni cannot store ('invalid': a mid or sender that is no id, a time
 * past year 9999), whose `reason` names the field.
 */
export type DiagnosticEvent = EventBase & {
  type: 'optin' | 'handover' | 'unknown' | 'invalid';
  /** The raw messaging item. */
  raw: Record<string, unknown>;
  reason?: string;
};

export type MessengerEvent =
  | VisitorMessageEvent
  | EchoEvent
  | DeliveryEvent
  | ReadEvent
  | PostbackEvent
  | ReactionEvent
  | ReferralEvent
  | MessageEditEvent
  | ThreadControlEvent
  | DiagnosticEvent;

/** The app id on echoes of replies typed in Facebook's own Page Inbox. */
export const PAGE_INBOX_APP_ID = '263902037430900';

/** The event types that (re)open Messenger's 24-hour window. */
export const WINDOW_OPENING_EVENT_TYPES: ReadonlySet<MessengerEvent['type']> = new Set([
  'message',
  'postback',
  'reaction',
  'referral',
]);
