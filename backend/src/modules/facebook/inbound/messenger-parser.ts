import type {
  AttachmentKind,
  DiagnosticEvent,
  EventChannel,
  InboundAttachment,
  MessageContent,
  MessengerEvent,
  Referral,
} from './messenger-events.js';
import { httpUrlOrNull } from '../../outbound-http/web-urls.js';
import { isStorableText, toStorableText } from '../../../text/storable-text.js';

/**
 * Turns a verified webhook delivery into normalised events (messenger-events.ts), following the
 * shapes in shared/docs/messenger-platform.md. It is pure and total: the raw body is already
 * stored, so a shape this code does not know must never stop the worker. Such an item becomes
 * an 'unknown' diagnostic, and a field of the wrong type counts as absent.
 *
 * It is also the one place where what a delivery says is bounded to what Omni can store (any
 * tenant can sign its own deliveries): texts are made storable (no U+0000, no lone surrogate)
 * and cut, other ids are kept only when they look like ids, and an item whose identity cannot
 * be stored (a mid or a sender that is not an id, a time past year 9999) becomes an 'invalid'
 * diagnostic that names the field, so its siblings are stored and its delivery completes.
 */

type JsonObject = Record<string, unknown>;

type EventBase = Pick<MessengerEvent, 'pageId' | 'psid' | 'occurredAt' | 'channel'>;

/** What every item carries, read once. */
type Envelope = {
  pageId: string;
  channel: EventChannel;
  occurredAt: Date;
  /** The visitor, or the page on echoes; absent on plugin opt-ins and `app_roles`. */
  senderId: string | null;
  recipientId: string;
  item: JsonObject;
};

export type ParseDeliveryOptions = {
  /** Only entries of these pages are read: the signature was checked against their apps only. */
  pageIds?: ReadonlySet<string>;
};

/** The arrays of an entry, named like the channel they stand for; `changes` (feed) is ignored. */
const CHANNELS = ['messaging', 'standby'] as const satisfies readonly EventChannel[];

const HANDOVER_KEYS = [
  'pass_thread_control',
  'take_thread_control',
  'request_thread_control',
  'app_roles',
] as const;

/** The key that names an item's event; an item carries one, the first found wins. */
const EVENT_KEYS = [
  'message',
  'delivery',
  'read',
  'postback',
  'reaction',
  'referral',
  'message_edit',
  'optin',
  ...HANDOVER_KEYS,
] as const;

type EventKey = (typeof EVENT_KEYS)[number];

/** Facebook's attachment types; `ig_reel` (shared from Instagram) is a reel too. */
const ATTACHMENT_KINDS: ReadonlyMap<string, AttachmentKind> = new Map<string, AttachmentKind>([
  ['image', 'image'],
  ['video', 'video'],
  ['audio', 'audio'],
  ['file', 'file'],
  ['location', 'location'],
  ['sticker', 'sticker'],
  ['fallback', 'fallback'],
  ['reel', 'reel'],
  ['ig_reel', 'reel'],
  ['post', 'post'],
  ['template', 'template'],
]);

/** A millisecond timestamp this small would be before March 1973: it can only be seconds. */
const SMALLEST_MILLISECOND_TIMESTAMP = 1e11;

/** The last millisecond of year 9999: later dates have no ISO 8601 form PostgreSQL reads. */
const LATEST_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** `message.mid` and `message.dedup_key` are varchar(255); `contact.psid` is varchar(64). */
const MID_LENGTH = 255;
const PARTY_ID_LENGTH = 64;
/** Messenger allows 2,000 characters a message; far more is kept, never without bound. */
const TEXT_CODE_POINTS = 20_000;
/** Titles, payloads, refs, metadata, types (Facebook's own limits are 1,000 or less). */
const STRING_CODE_POINTS = 2_000;
const URL_LENGTH = 8_000;

/** Ids (page-scoped ids, mids, app and sticker ids) are printable ASCII, never spaces. */
const ID_PATTERN = /^[\x21-\x7e]+$/;

/** A field that names an item (its mid, its sender) is not storable: the item is 'invalid'. */
class InvalidEventField extends Error {
  constructor(readonly field: string) {
    super(`${field} is not a valid value`);
  }
}

/**
 * The events of a verified delivery `{"object": "page", "entry": […]}`, sorted by the time they
 * happened (stable), because deliveries that follow a failure may arrive out of order. Never
 * throws: a body that is not a page delivery gives no events.
 */
export function parseDelivery(
  rawBody: string,
  options: ParseDeliveryOptions = {},
): MessengerEvent[] {
  const body = asObject(parseJson(rawBody));
  if (body?.['object'] !== 'page') return [];
  const events: MessengerEvent[] = [];
  for (const entry of asArray(body['entry']).map(asObject)) {
    const pageId = asId(entry?.['id']);
    if (!entry || pageId === null) continue;
    if (options.pageIds && !options.pageIds.has(pageId)) continue;
    for (const channel of CHANNELS) {
      for (const item of asArray(entry[channel])) {
        const event = parseItem(item, pageId, channel);
        if (event) events.push(event);
      }
    }
  }
  return events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

/**
 * One item of `messaging[]` or `standby[]`. Anything not understood is kept as an 'unknown'
 * diagnostic, and an item naming something Omni cannot store (or without a time or a
 * recipient to attribute it to) as an 'invalid' one: nothing is dropped unexplained.
 */
function parseItem(value: unknown, pageId: string, channel: EventChannel): MessengerEvent | null {
  const item = asObject(value);
  if (!item) return null;
  // Meta's own `message_deliveries` example has no timestamp (libraries copy it): its
  // watermark dates a delivery just as well.
  const timestamp = item['timestamp'] ?? asObject(item['delivery'])?.['watermark'];
  const recipient = asObject(item['recipient'])?.['id'];
  const sender = asObject(item['sender'])?.['id'];
  try {
    if (timestamp === undefined || timestamp === null) throw new InvalidEventField('timestamp');
    if (isAbsent(recipient)) throw new InvalidEventField('recipient.id');
    const occurredAt = toDate(timestamp);
    if (!occurredAt) throw new InvalidEventField('timestamp');
    const recipientId = readId(recipient, 'recipient.id', PARTY_ID_LENGTH)!;
    const senderId = readId(sender, 'sender.id', PARTY_ID_LENGTH);
    const envelope: Envelope = { pageId, channel, occurredAt, senderId, recipientId, item };

    const key = EVENT_KEYS.find((candidate) => Object.hasOwn(item, candidate));
    const payload = key === undefined ? null : asObject(item[key]);
    const event = key === undefined || !payload ? null : parseEvent(key, payload, envelope);
    return event ?? diagnostic('unknown', senderId ?? '', envelope);
  } catch (error) {
    if (!(error instanceof InvalidEventField)) throw error;
    // Its time may be what is wrong: it sorts first, and never moves a page's last event.
    const occurredAt = toDate(timestamp) ?? new Date(0);
    const psid = typeof sender === 'string' ? sender : '';
    const envelope = { pageId, channel, occurredAt, senderId: psid, recipientId: '', item };
    return { ...diagnostic('invalid', psid, envelope), reason: error.field };
  }
}

/** The event an item's payload describes, or null when a field the event needs is missing. */
function parseEvent(key: EventKey, payload: JsonObject, envelope: Envelope): MessengerEvent | null {
  switch (key) {
    case 'optin':
      // A checkbox-plugin opt-in has no sender yet; its user_ref is all that names the person.
      return diagnostic('optin', envelope.senderId ?? asId(payload['user_ref']) ?? '', envelope);
    case 'pass_thread_control':
    case 'take_thread_control':
    case 'request_thread_control':
      // About one visitor's thread: without a sender it names nobody.
      if (envelope.senderId === null) return diagnostic('handover', '', envelope);
      return {
        pageId: envelope.pageId,
        psid: envelope.senderId,
        occurredAt: envelope.occurredAt,
        channel: envelope.channel,
        type: 'thread_control',
        action: key,
        newOwnerAppId: asId(payload['new_owner_app_id']),
        previousOwnerAppId: asId(payload['previous_owner_app_id']),
        requestedOwnerAppId: asId(payload['requested_owner_app_id']),
        metadata: asString(payload['metadata']),
        raw: envelope.item,
      };
    case 'app_roles':
      return diagnostic('handover', envelope.senderId ?? '', envelope);
    case 'message':
      if (payload['is_echo'] === true) return parseEcho(payload, envelope);
  }
  // Every other event is the visitor's doing: the sender is the visitor.
  if (envelope.senderId === null) return null;
  const base: EventBase = {
    pageId: envelope.pageId,
    psid: envelope.senderId,
    occurredAt: envelope.occurredAt,
    channel: envelope.channel,
  };
  switch (key) {
    case 'message': {
      const message = parseMessageContent(payload);
      return message && { ...base, type: 'message', message };
    }
    case 'delivery': {
      const watermark = toDate(payload['watermark']);
      const mids = asArray(payload['mids']).flatMap((mid) => asId(mid) ?? []);
      return watermark && { ...base, type: 'delivery', mids, watermark };
    }
    case 'read': {
      const watermark = toDate(payload['watermark']);
      return watermark && { ...base, type: 'read', watermark };
    }
    case 'postback': {
      const referral = asObject(payload['referral']);
      return {
        ...base,
        type: 'postback',
        mid: readId(payload['mid'], 'postback.mid', MID_LENGTH),
        title: asString(payload['title']),
        payload: asString(payload['payload']),
        referral: referral && parseReferral(referral),
      };
    }
    case 'reaction': {
      const action = payload['action'];
      const mid = readId(payload['mid'], 'reaction.mid', MID_LENGTH);
      if ((action !== 'react' && action !== 'unreact') || mid === null) return null;
      const reaction = asString(payload['reaction']);
      return {
        ...base,
        type: 'reaction',
        action,
        reaction,
        emoji: asString(payload['emoji']),
        mid,
      };
    }
    case 'referral':
      return { ...base, type: 'referral', referral: parseReferral(payload) };
    case 'message_edit': {
      const mid = readId(payload['mid'], 'message_edit.mid', MID_LENGTH);
      const text = asString(payload['text'], TEXT_CODE_POINTS);
      const editCount = payload['num_edit'];
      if (mid === null || text === null || typeof editCount !== 'number') return null;
      return Number.isSafeInteger(editCount)
        ? { ...base, type: 'message_edit', mid, text, editCount }
        : null;
    }
  }
}

/** A message the page sent, echoed back: the page is the sender, the visitor the recipient. */
function parseEcho(message: JsonObject, envelope: Envelope): MessengerEvent | null {
  // The recipient of an echo is the visitor; the page itself is no visitor to file it under.
  if (envelope.recipientId === envelope.pageId) throw new InvalidEventField('recipient.id');
  const content = parseMessageContent(message);
  return (
    content && {
      pageId: envelope.pageId,
      psid: envelope.recipientId,
      occurredAt: envelope.occurredAt,
      channel: envelope.channel,
      type: 'echo',
      message: content,
      appId: asId(message['app_id']),
      metadata: asString(message['metadata']),
    }
  );
}

function parseMessageContent(message: JsonObject): MessageContent | null {
  const mid = readId(message['mid'], 'message.mid', MID_LENGTH);
  if (mid === null) return null;
  const attachments = asArray(message['attachments']).flatMap((value) => {
    const attachment = asObject(value);
    return attachment ? [parseAttachment(attachment)] : [];
  });
  return {
    mid,
    text: asString(message['text'], TEXT_CODE_POINTS),
    ...collapseStickers(asId(message['sticker_id']), attachments),
    quickReplyPayload: asString(asObject(message['quick_reply'])?.['payload']),
    replyToMid: asId(asObject(message['reply_to'])?.['mid']),
  };
}

function parseAttachment(attachment: JsonObject): InboundAttachment {
  const facebookType = asString(attachment['type']) ?? '';
  const payload = asObject(attachment['payload']);
  const stickerId = asId(payload?.['sticker_id']);
  // Until 2026-08-30 a sticker could come as an image that carries its sticker_id.
  const isLegacySticker = facebookType === 'image' && stickerId !== null;
  return {
    kind: isLegacySticker ? 'sticker' : (ATTACHMENT_KINDS.get(facebookType) ?? 'other'),
    // Older fallbacks (shared links) put url and title beside a null payload.
    url: asWebUrl(payload?.['url']) ?? asWebUrl(attachment['url']),
    title: asString(payload?.['title']) ?? asString(attachment['title']),
    stickerId,
    coordinates: parseCoordinates(payload?.['coordinates']),
    facebookType,
  };
}

/**
 * One sticker however it came: `sticker_id` on the message, a `sticker` attachment, a legacy
 * `image` attachment with a sticker_id, or several of these at once. Exactly one attachment of
 * kind 'sticker' remains (the `sticker` one when there is a choice); one is added when only
 * `sticker_id` came, so that `stickerId` is set exactly when a sticker attachment is present.
 */
function collapseStickers(
  messageStickerId: string | null,
  attachments: InboundAttachment[],
): Pick<MessageContent, 'stickerId' | 'attachments'> {
  const stickers = attachments.filter((attachment) => attachment.kind === 'sticker');
  const stickerId =
    messageStickerId ?? stickers.find((sticker) => sticker.stickerId !== null)?.stickerId ?? null;
  const kept = stickers.find((sticker) => sticker.facebookType === 'sticker') ?? stickers[0];
  if (!kept) {
    if (stickerId === null) return { stickerId, attachments };
    // The older shape: `sticker_id` on the message and the sticker as a plain image
    // attachment (no sticker_id in its payload). That image is the sticker, not a photo.
    const image = messageStickerId === null ? undefined : attachments.find(isPlainImage);
    if (image) {
      return {
        stickerId,
        attachments: attachments.map((attachment) =>
          attachment === image ? { ...image, kind: 'sticker', stickerId } : attachment,
        ),
      };
    }
    const sticker: InboundAttachment = {
      kind: 'sticker',
      url: null,
      title: null,
      stickerId,
      coordinates: null,
      facebookType: 'sticker',
    };
    return { stickerId, attachments: [...attachments, sticker] };
  }
  return {
    stickerId,
    attachments: attachments
      .filter((attachment) => attachment.kind !== 'sticker' || attachment === kept)
      .map((attachment) => (attachment === kept ? { ...kept, stickerId } : attachment)),
  };
}

function isPlainImage(attachment: InboundAttachment): boolean {
  return attachment.kind === 'image' && attachment.stickerId === null;
}

function parseReferral(referral: JsonObject): Referral {
  return {
    ref: asString(referral['ref']),
    source: asString(referral['source']),
    type: asString(referral['type']),
    adId: asId(referral['ad_id']),
  };
}

/** Legacy location: `payload.coordinates {lat, long}`. */
function parseCoordinates(value: unknown): InboundAttachment['coordinates'] {
  const coordinates = asObject(value);
  const lat = coordinates?.['lat'];
  const long = coordinates?.['long'];
  if (typeof lat !== 'number' || typeof long !== 'number') return null;
  return Number.isFinite(lat) && Number.isFinite(long) ? { lat, long } : null;
}

function diagnostic(
  type: DiagnosticEvent['type'],
  psid: string,
  envelope: Envelope,
): DiagnosticEvent {
  const { pageId, occurredAt, channel, item } = envelope;
  return { pageId, psid, occurredAt, channel, type, raw: item };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function asObject(value: unknown): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : null;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A text as it can be stored: no U+0000, no lone surrogate, at most `maxCodePoints`. */
function asString(value: unknown, maxCodePoints = STRING_CODE_POINTS): string | null {
  return typeof value === 'string' ? toStorableText(value, maxCodePoints) : null;
}

/** An http(s) link that is stored whole or not at all (a cut link would lead elsewhere). */
function asWebUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > URL_LENGTH || !isStorableText(value)) return null;
  return httpUrlOrNull(value);
}

/**
 * Ids come as strings or, for app_id, sticker_id and some ids, as JSON numbers. One that is
 * not an id (too long, spaces, control characters) counts as absent.
 */
function asId(value: unknown, maxLength = MID_LENGTH): string | null {
  if (typeof value === 'string') {
    return value !== '' && value.length <= maxLength && ID_PATTERN.test(value) ? value : null;
  }
  return Number.isSafeInteger(value) ? String(value) : null;
}

/** An id that names the item: absent is null, present but not an id makes the item invalid. */
function readId(value: unknown, field: string, maxLength: number): string | null {
  if (isAbsent(value)) return null;
  const id = asId(value, maxLength);
  if (id === null) throw new InvalidEventField(field);
  return id;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Timestamps and watermarks are milliseconds; some integrations send seconds. Null for what is
 * not a time from 1970 to the end of year 9999.
 */
function toDate(value: unknown): Date | null {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) return null;
  const time = number < SMALLEST_MILLISECOND_TIMESTAMP ? number * 1000 : number;
  return time <= LATEST_TIME ? new Date(time) : null;
}
