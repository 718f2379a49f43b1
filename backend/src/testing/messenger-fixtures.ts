import { randomBytes } from 'node:crypto';
import { PAGE_INBOX_APP_ID as PAGE_INBOX_APP_ID_TEXT } from '../modules/facebook/inbound/messenger-events.js';
import { FAKE_APP } from '../modules/fake-graph/fake-graph.js';

/**
 * Webhook deliveries exactly as Facebook sends them (shared/docs/messenger-platform.md), for
 * unit, integration and e2e tests: `delivery(entry(pageId, textMessage({ … })))`, then
 * `serialiseLikeFacebook(…)` for the bytes to sign. Ids that Facebook sends as JSON numbers
 * (`app_id`, `sticker_id`) are numbers here too. Mids are random; `at` defaults to now.
 */

/** One item of an entry's `messaging[]` or `standby[]`. */
export type MessagingItem = {
  sender?: { id: string };
  recipient: { id: string };
  timestamp: number;
  [event: string]: unknown;
};

export type DeliveryEntry = {
  id: string;
  time: number;
  messaging?: MessagingItem[];
  standby?: MessagingItem[];
  changes?: unknown[];
};

export type WebhookDelivery = { object: 'page'; entry: DeliveryEntry[] };

/** One element of `message.attachments`. */
export type FacebookAttachment = { type: string; payload?: Record<string, unknown> };

/**
 * When the event happened: a Date, or the number to send as is (milliseconds, or seconds to
 * imitate integrations that send seconds). Defaults to now.
 */
type At = Date | number;

/** The visitor, the page and the time of an item. */
type ItemInput = { psid: string; pageId: string; at?: At };

/** An item that carries a message of its own, with a random mid unless given. */
type MessageInput = ItemInput & { mid?: string };

type ReferralInput = { ref: string; source?: string; adId?: string };

/** The "like" thumb, the sticker Messenger's send button sends. */
export const LIKE_STICKER_ID = 369239263222822;

/** The app id on echoes of replies typed in Facebook's own Page Inbox. */
export const PAGE_INBOX_APP_ID = Number(PAGE_INBOX_APP_ID_TEXT);

/** The app id on echoes of Omni's own sends: the app the fake Graph API registers pages with. */
export const OMNI_APP_ID = Number(FAKE_APP.appId);

/** A fresh message id in Facebook's `m_…` form. */
export function newMid(): string {
  return `m_${randomBytes(24).toString('base64url')}`;
}

/** A signed, expiring CDN link like those Facebook puts in attachment payloads. */
export function cdnUrl(fileName = `${randomBytes(8).toString('hex')}.jpg`): string {
  const signature = randomBytes(16).toString('hex');
  return `https://scontent.xx.fbcdn.net/v/t1.15752-9/${fileName}?_nc_cat=1&oh=${signature}&oe=6A1B2C3D`;
}

/** A POST body: `{"object": "page", "entry": […]}`. */
export function delivery(...entries: DeliveryEntry[]): WebhookDelivery {
  return { object: 'page', entry: entries };
}

/** An entry of a page whose thread Omni's app controls: `messaging[]`. */
export function entry(pageId: string, ...items: MessagingItem[]): DeliveryEntry {
  return { id: pageId, time: Date.now(), messaging: items };
}

/** An entry for threads another app controls under the handover protocol: `standby[]`. */
export function standbyEntry(pageId: string, ...items: MessagingItem[]): DeliveryEntry {
  return { id: pageId, time: Date.now(), standby: items };
}

/** An entry of the `feed` field (a post on the page), which Omni must ignore. */
export function feedEntry(pageId: string): DeliveryEntry {
  const postId = `${pageId}_${randomBytes(6).readUIntBE(0, 6)}`;
  const value = { item: 'post', verb: 'add', post_id: postId, message: 'New post' };
  return { id: pageId, time: Date.now(), changes: [{ field: 'feed', value }] };
}

/** A visitor's text message. */
export function textMessage(input: MessageInput & { text: string }): MessagingItem {
  return fromVisitor(input, { message: { mid: input.mid ?? newMid(), text: input.text } });
}

/** One attachment: `{type, payload}`; the payload defaults to a CDN url. */
export function attachment(
  type: string,
  payload: Record<string, unknown> = { url: cdnUrl() },
): FacebookAttachment {
  return { type, payload };
}

/** A visitor's message with attachments, and text when given (both may come together). */
export function attachmentMessage(
  input: MessageInput & { attachments: FacebookAttachment[]; text?: string },
): MessagingItem {
  const text = input.text === undefined ? {} : { text: input.text };
  const message = { mid: input.mid ?? newMid(), ...text, attachments: input.attachments };
  return fromVisitor(input, { message });
}

/**
 * A sticker: `sticker_id` plus a `sticker` attachment, or in the `legacy` form (accepted until
 * 2026-08-30) an `image` attachment carrying `payload.sticker_id`.
 */
export function stickerMessage(
  input: MessageInput & { stickerId?: number; form?: 'sticker' | 'legacy'; url?: string },
): MessagingItem {
  const stickerId = input.stickerId ?? LIKE_STICKER_ID;
  const type = input.form === 'legacy' ? 'image' : 'sticker';
  const payload = { url: input.url ?? cdnUrl(`${stickerId}.png`), sticker_id: stickerId };
  const message = {
    mid: input.mid ?? newMid(),
    sticker_id: stickerId,
    attachments: [{ type, payload }],
  };
  return fromVisitor(input, { message });
}

/** A shared location, legacy form: `payload.coordinates {lat, long}`. */
export function locationMessage(
  input: MessageInput & { lat: number; long: number },
): MessagingItem {
  const coordinates = { lat: input.lat, long: input.long };
  return attachmentMessage({ ...input, attachments: [attachment('location', { coordinates })] });
}

/** A shared link: `payload {url, title}` when either is given, otherwise no payload at all. */
export function fallbackMessage(
  input: MessageInput & { url?: string; title?: string },
): MessagingItem {
  const payload = {
    ...(input.url === undefined ? {} : { url: input.url }),
    ...(input.title === undefined ? {} : { title: input.title }),
  };
  const hasPayload = Object.keys(payload).length > 0;
  const fallback = hasPayload ? attachment('fallback', payload) : { type: 'fallback' };
  return attachmentMessage({ ...input, attachments: [fallback] });
}

/** A tapped quick reply: its title as text and the payload Omni gave it. */
export function quickReply(input: MessageInput & { text: string; payload: string }): MessagingItem {
  const message = {
    mid: input.mid ?? newMid(),
    text: input.text,
    quick_reply: { payload: input.payload },
  };
  return fromVisitor(input, { message });
}

/** A visitor's reply to an earlier message. */
export function replyTo(input: MessageInput & { text: string; replyToMid: string }): MessagingItem {
  const reply_to = { mid: input.replyToMid, is_self_reply: false };
  return fromVisitor(input, {
    message: { mid: input.mid ?? newMid(), text: input.text, reply_to },
  });
}

/**
 * The echo of a message the page sent (sender = page, recipient = visitor). `appId` defaults to
 * Omni's ({@link OMNI_APP_ID}); use {@link PAGE_INBOX_APP_ID} for replies typed in Page Inbox,
 * which carry no metadata.
 */
export function echo(
  input: MessageInput & {
    /** Facebook sends it as a JSON number; a string id is sent as a number too. */
    appId?: number | string;
    metadata?: string;
    text?: string;
    attachments?: FacebookAttachment[];
  },
): MessagingItem {
  const message = {
    is_echo: true,
    app_id: Number(input.appId ?? OMNI_APP_ID),
    ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
    mid: input.mid ?? newMid(),
    ...(input.text === undefined ? {} : { text: input.text }),
    ...(input.attachments === undefined ? {} : { attachments: input.attachments }),
  };
  return {
    sender: { id: input.pageId },
    recipient: { id: input.psid },
    timestamp: toTimestamp(input.at),
    message,
  };
}

/** Everything the page sent before `watermark` was delivered; `mids` only when given. */
export function deliveryReceipt(
  input: ItemInput & { watermark: At; mids?: string[] },
): MessagingItem {
  const mids = input.mids === undefined ? {} : { mids: input.mids };
  return fromVisitor(input, { delivery: { ...mids, watermark: toTimestamp(input.watermark) } });
}

/** Everything the page sent at or before `watermark` was read. */
export function readReceipt(input: ItemInput & { watermark: At }): MessagingItem {
  return fromVisitor(input, { read: { watermark: toTimestamp(input.watermark) } });
}

/** A button or Get Started tap (the default), with the referral that led there when given. */
export function postback(
  input: MessageInput & { title?: string; payload?: string; referral?: ReferralInput },
): MessagingItem {
  const referral = input.referral === undefined ? {} : { referral: toReferral(input.referral) };
  const tap = {
    mid: input.mid ?? newMid(),
    title: input.title ?? 'Get Started',
    payload: input.payload ?? 'GET_STARTED',
    ...referral,
  };
  return fromVisitor(input, { postback: tap });
}

/** A reaction to `reactedToMid`, added (default: ❤️ "love") or removed. */
export function reaction(
  input: ItemInput & {
    reactedToMid: string;
    action?: 'react' | 'unreact';
    reaction?: string;
    emoji?: string;
  },
): MessagingItem {
  const { reactedToMid, action = 'react', reaction = 'love', emoji = '❤️' } = input;
  return fromVisitor(input, { reaction: { reaction, emoji, action, mid: reactedToMid } });
}

/** The visitor entered an existing thread through a link (default source) or an ad. */
export function referral(input: ItemInput & ReferralInput): MessagingItem {
  return fromVisitor(input, { referral: toReferral(input) });
}

/** The visitor edited message `mid` (the edit count defaults to 1; at most 5). */
export function messageEdit(
  input: ItemInput & { mid: string; text: string; editCount?: number },
): MessagingItem {
  const message_edit = { mid: input.mid, text: input.text, num_edit: input.editCount ?? 1 };
  return fromVisitor(input, { message_edit });
}

/** A checkbox/plugin opt-in: `{ref, user_ref}`, without a sender unless `psid` is given. */
export function optin(input: {
  pageId: string;
  userRef: string;
  ref?: string;
  psid?: string;
  at?: At;
}): MessagingItem {
  const sender = input.psid === undefined ? {} : { sender: { id: input.psid } };
  return {
    ...sender,
    recipient: { id: input.pageId },
    timestamp: toTimestamp(input.at),
    optin: { ref: input.ref ?? 'checkbox-plugin', user_ref: input.userRef },
  };
}

/** A visitor accepted recurring notification messages (`type: "notification_messages"`). */
export function notificationOptin(input: ItemInput & { payload?: string }): MessagingItem {
  const notification = {
    type: 'notification_messages',
    payload: input.payload ?? 'WEEKLY_NEWS',
    notification_messages_token: randomBytes(24).toString('base64url'),
  };
  return fromVisitor(input, { optin: notification });
}

/** Handover protocol: thread control passed to another app (default: Page Inbox). */
export function passThreadControl(
  input: ItemInput & {
    newOwnerAppId?: number | string;
    previousOwnerAppId?: string;
    metadata?: string;
  },
): MessagingItem {
  const pass_thread_control = {
    ...(input.previousOwnerAppId ? { previous_owner_app_id: input.previousOwnerAppId } : {}),
    new_owner_app_id: String(input.newOwnerAppId ?? PAGE_INBOX_APP_ID),
    metadata: input.metadata ?? 'Passed to a human',
  };
  return fromVisitor(input, { pass_thread_control });
}

/**
 * JSON as Facebook serialises what it signs: non-ASCII as `\uXXXX` (UTF-16 units, so an emoji
 * is two escapes) and `/` as `\/`. A receiver that re-serialises before hashing fails on it.
 */
export function serialiseLikeFacebook(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/** A visitor event: the visitor sends, the page receives. */
function fromVisitor(input: ItemInput, event: Record<string, unknown>): MessagingItem {
  return {
    sender: { id: input.psid },
    recipient: { id: input.pageId },
    timestamp: toTimestamp(input.at),
    ...event,
  };
}

function toReferral({ ref, source, adId }: ReferralInput): Record<string, unknown> {
  const ad = adId === undefined ? {} : { ad_id: adId };
  return { ref, source: source ?? 'SHORTLINK', type: 'OPEN_THREAD', ...ad };
}

function toTimestamp(at: At | undefined): number {
  if (at === undefined) return Date.now();
  return at instanceof Date ? at.getTime() : at;
}
