import { randomBytes } from 'node:crypto';
import { GraphErrorResponse, fakeGraphErrors, type GraphErrorSpec } from './fake-graph-errors.js';
import { newGraphId, type FakeGraph, type FakePage } from './fake-graph.js';

/**
 * The Send API (POST /{page}/messages) and attachment upload of the fake, validating a
 * request the way Facebook does (shared/docs/messenger-platform.md, "Send API") before it
 * records it. Messaging-window enforcement is left out: tests fail a send with
 * `failNext(…, fakeGraphErrors.outsideWindow)` when they need it.
 */

/** Query and body parameters together, as Graph reads them. */
export type GraphParams = Record<string, unknown>;

const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'] as const;
const SENDER_ACTIONS = ['mark_seen', 'typing_on', 'typing_off'] as const;
const ATTACHMENT_TYPES = ['image', 'audio', 'video', 'file', 'template'] as const;
/**
 * CONFIRMED_EVENT_UPDATE, ACCOUNT_UPDATE and POST_PURCHASE_UPDATE were retired on 2026-04-27
 * and answer "Invalid parameter". HUMAN_AGENT is the only tag Omni sends, so the only one the
 * fake accepts.
 */
const ACCEPTED_TAGS = ['HUMAN_AGENT'] as const;
const MAX_TEXT_LENGTH = 2000;
const MAX_METADATA_LENGTH = 1000;
/** Messenger's bounds on quick replies: 13 at most, titles of 20 characters, payloads of 1000. */
const MAX_QUICK_REPLIES = 13;
const MAX_QUICK_REPLY_TITLE = 20;
const MAX_QUICK_REPLY_PAYLOAD = 1000;

/** Validates, records and answers one Send API call: a message, or a sender action alone. */
export function handleSendRequest(graph: FakeGraph, page: FakePage, params: GraphParams): object {
  const recipientId = readRecipientId(params);
  const message = params['message'];
  const senderAction = params['sender_action'];
  if (message !== undefined && senderAction !== undefined) {
    fail(fakeGraphErrors.messageAndSenderActionTogether);
  }
  if (message === undefined && senderAction === undefined) {
    fail(fakeGraphErrors.messageOrSenderActionRequired);
  }

  if (senderAction !== undefined) {
    const action = readEnum(senderAction, SENDER_ACTIONS, 'sender_action');
    requireKnownRecipient(graph, page, recipientId);
    graph.recordSenderAction({ pageId: page.pageId, recipientId, action, at: new Date() });
    return { recipient_id: recipientId };
  }

  const messagingType = readMessagingType(params);
  const tag = readTag(params, messagingType);
  const validMessage = readMessage(graph, page, message);
  requireKnownRecipient(graph, page, recipientId);
  // Under the handover protocol only the app that controls the thread may message it.
  const owner = graph.threadOwner(page.pageId, recipientId);
  if (owner !== null && owner !== page.appId) fail(fakeGraphErrors.threadControlledByOtherApp);
  const messageId = `m_${randomBytes(24).toString('base64url')}`;
  graph.recordMessage({
    pageId: page.pageId,
    recipientId,
    messageId,
    messagingType,
    tag,
    message: validMessage,
    text: typeof validMessage['text'] === 'string' ? validMessage['text'] : null,
    metadata: typeof validMessage['metadata'] === 'string' ? validMessage['metadata'] : null,
    at: new Date(),
  });
  return { recipient_id: recipientId, message_id: messageId };
}

/** POST /{page}/message_attachments with a URL (file uploads are not supported by the fake). */
export function handleAttachmentUpload(
  graph: FakeGraph,
  page: FakePage,
  params: GraphParams,
): object {
  const message = readObject(params['message']);
  if (!message) fail(fakeGraphErrors.parameterRequired('message'));
  const attachment = readAttachment(message['attachment']);
  const url = readObject(attachment['payload'])?.['url'];
  if (!isHttpUrl(url)) fail(fakeGraphErrors.attachmentFetchFailed);
  const attachmentId = newGraphId();
  graph.recordAttachment(page.pageId, attachmentId);
  return { attachment_id: attachmentId };
}

function readRecipientId(params: GraphParams): string {
  const recipient = readObject(params['recipient']);
  if (!recipient) fail(fakeGraphErrors.parameterRequired('recipient'));
  const id = recipient['id'];
  if (typeof id === 'number') return String(id);
  if (typeof id !== 'string' || id === '') fail(fakeGraphErrors.parameterRequired('recipient[id]'));
  return id;
}

function requireKnownRecipient(graph: FakeGraph, page: FakePage, psid: string): void {
  if (!graph.findUser(page.pageId, psid)) fail(fakeGraphErrors.noMatchingUser);
}

function readMessagingType(params: GraphParams): string {
  const value = params['messaging_type'];
  if (value === undefined) fail(fakeGraphErrors.parameterRequired('messaging_type'));
  return readEnum(value, MESSAGING_TYPES, 'messaging_type');
}

/** A tag needs MESSAGE_TAG and MESSAGE_TAG needs a tag; retired tags are refused. */
function readTag(params: GraphParams, messagingType: string): string | null {
  const tag = params['tag'];
  if (messagingType !== 'MESSAGE_TAG') {
    if (tag !== undefined) fail(fakeGraphErrors.invalidParameter);
    return null;
  }
  if (tag === undefined) fail(fakeGraphErrors.parameterRequired('tag'));
  if (typeof tag !== 'string' || !(ACCEPTED_TAGS as readonly string[]).includes(tag)) {
    fail(fakeGraphErrors.invalidParameter);
  }
  return tag;
}

function readMessage(graph: FakeGraph, page: FakePage, value: unknown): Record<string, unknown> {
  const message = readObject(value);
  if (!message) fail(fakeGraphErrors.emptyMessage);
  const { text, attachment, metadata } = message;
  if (text !== undefined && attachment !== undefined) {
    fail(fakeGraphErrors.textAndAttachmentTogether);
  }
  if (text === undefined && attachment === undefined) fail(fakeGraphErrors.emptyMessage);
  if (text !== undefined) {
    if (typeof text !== 'string' || text === '') fail(fakeGraphErrors.emptyMessage);
    if (text.length > MAX_TEXT_LENGTH) {
      fail(fakeGraphErrors.lengthAtMost('message[text]', MAX_TEXT_LENGTH));
    }
  }
  if (attachment !== undefined) {
    const payload = readObject(readAttachment(attachment)['payload']);
    const attachmentId = payload?.['attachment_id'];
    if (attachmentId !== undefined) {
      if (!graph.ownsAttachment(page.pageId, String(attachmentId))) {
        fail(fakeGraphErrors.attachmentNotOwned);
      }
    } else if (!isHttpUrl(payload?.['url'])) {
      fail(fakeGraphErrors.attachmentFetchFailed);
    }
  }
  if (metadata !== undefined && String(metadata).length > MAX_METADATA_LENGTH) {
    fail(fakeGraphErrors.lengthAtMost('message[metadata]', MAX_METADATA_LENGTH));
  }
  if (message['quick_replies'] !== undefined) readQuickReplies(message['quick_replies']);
  return message;
}

/** Text quick replies (the only kind Omni sends), each with its title and payload. */
function readQuickReplies(value: unknown): void {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_QUICK_REPLIES) {
    fail(fakeGraphErrors.invalidParameter);
  }
  for (const item of value) {
    const reply = readObject(item);
    if (!reply || reply['content_type'] !== 'text') fail(fakeGraphErrors.invalidParameter);
    const { title, payload } = reply;
    if (typeof title !== 'string' || title === '' || title.length > MAX_QUICK_REPLY_TITLE) {
      fail(fakeGraphErrors.invalidParameter);
    }
    if (typeof payload !== 'string' || payload.length > MAX_QUICK_REPLY_PAYLOAD) {
      fail(fakeGraphErrors.invalidParameter);
    }
  }
}

function readAttachment(value: unknown): Record<string, unknown> {
  const attachment = readObject(value);
  if (!attachment) fail(fakeGraphErrors.parameterRequired('message[attachment]'));
  if (attachment['type'] === undefined) {
    fail(fakeGraphErrors.parameterRequired('message[attachment][type]'));
  }
  readEnum(attachment['type'], ATTACHMENT_TYPES, 'message[attachment][type]');
  if (attachment['payload'] === undefined) {
    fail(fakeGraphErrors.parameterRequired('message[attachment][payload]'));
  }
  return attachment;
}

/** Graph enums are case-insensitive; the canonical spelling is returned. */
function readEnum<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  const match = allowed.find(
    (candidate) => typeof value === 'string' && candidate.toLowerCase() === value.toLowerCase(),
  );
  if (!match) fail(fakeGraphErrors.parameterMustBeOneOf(name, allowed));
  return match;
}

/**
 * An object parameter: JSON bodies carry objects, form bodies and query strings carry them
 * as JSON text (`recipient={"id":"…"}`); Graph accepts both.
 */
export function readObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string') {
    try {
      return readObject(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function isHttpUrl(value: unknown): boolean {
  return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value);
}

function fail(spec: GraphErrorSpec): never {
  throw new GraphErrorResponse(spec);
}
