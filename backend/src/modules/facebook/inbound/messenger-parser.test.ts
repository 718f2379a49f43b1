import { describe, expect, it } from 'vitest';
import type { InboundAttachment, MessageContent, MessengerEvent } from './messenger-events.js';
import {
  LIKE_STICKER_ID,
  OMNI_APP_ID,
  PAGE_INBOX_APP_ID,
  attachment,
  attachmentMessage,
  cdnUrl,
  delivery,
  deliveryReceipt,
  echo,
  entry,
  fallbackMessage,
  feedEntry,
  locationMessage,
  messageEdit,
  newMid,
  notificationOptin,
  optin,
  passThreadControl,
  postback,
  quickReply,
  reaction,
  readReceipt,
  referral,
  replyTo,
  serialiseLikeFacebook,
  standbyEntry,
  stickerMessage,
  textMessage,
  type MessagingItem,
} from '../../../testing/messenger-fixtures.js';
import { parseDelivery } from './messenger-parser.js';

const PAGE_ID = '104729385710293';
const OTHER_PAGE_ID = '109876543210987';
const PSID = '7259834518273645';
const AT = new Date('2026-11-20T09:30:00.000Z');

/** The builders' input for an item of PSID on PAGE_ID at AT. */
const VISITOR = { psid: PSID, pageId: PAGE_ID, at: AT };
/** The fields every parsed event of that item carries. */
const PARSED = { pageId: PAGE_ID, psid: PSID, occurredAt: AT, channel: 'messaging' } as const;
/** The envelope of a raw item of PSID on PAGE_ID at AT, for shapes the builders do not make. */
const ENVELOPE = { sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: AT.getTime() };

function parseItems(...items: MessagingItem[]): MessengerEvent[] {
  return parseDelivery(serialiseLikeFacebook(delivery(entry(PAGE_ID, ...items))));
}

function parseOne(item: MessagingItem): MessengerEvent {
  const events = parseItems(item);
  expect(events).toHaveLength(1);
  return events[0]!;
}

/** Message content with nothing but what `fields` say. */
function content(fields: Partial<MessageContent> & { mid: string }): MessageContent {
  return {
    text: null,
    attachments: [],
    stickerId: null,
    quickReplyPayload: null,
    replyToMid: null,
    ...fields,
  };
}

function parsedAttachment(
  fields: Partial<InboundAttachment> & Pick<InboundAttachment, 'kind' | 'facebookType'>,
): InboundAttachment {
  return { url: null, title: null, stickerId: null, coordinates: null, ...fields };
}

/** The visitor message PARSED carries, whose content is `fields`. */
function visitorMessage(fields: Partial<MessageContent> & { mid: string }): MessengerEvent {
  return { ...PARSED, type: 'message', message: content(fields) };
}

function at(secondsAfterAt: number): Date {
  return new Date(AT.getTime() + secondsAfterAt * 1000);
}

describe('visitor messages', () => {
  it('a text message, with non-ASCII and slashes decoded from their escapes', () => {
    const mid = newMid();
    const item = textMessage({ ...VISITOR, mid, text: 'Grüße 😀 https://omni.example/a' });
    expect(parseOne(item)).toStrictEqual(
      visitorMessage({ mid, text: 'Grüße 😀 https://omni.example/a' }),
    );
  });

  it.each([
    ['image', 'image'],
    ['video', 'video'],
    ['audio', 'audio'],
    ['file', 'file'],
    ['reel', 'reel'],
    ['ig_reel', 'reel'],
    ['post', 'post'],
    ['template', 'template'],
    ['story_mention', 'other'],
  ] as const)('an attachment of type %s becomes kind %s', (facebookType, kind) => {
    const mid = newMid();
    const url = cdnUrl();
    const item = attachmentMessage({
      ...VISITOR,
      mid,
      attachments: [attachment(facebookType, { url })],
    });
    expect(parseOne(item)).toStrictEqual(
      visitorMessage({ mid, attachments: [parsedAttachment({ kind, facebookType, url })] }),
    );
  });

  it('text and several attachments together, in their order', () => {
    const mid = newMid();
    const [photo, clip] = [cdnUrl('photo.jpg'), cdnUrl('clip.mp4')];
    const attachments = [attachment('image', { url: photo }), attachment('video', { url: clip })];
    const item = attachmentMessage({ ...VISITOR, mid, text: 'look', attachments });
    expect(parseOne(item)).toStrictEqual(
      visitorMessage({
        mid,
        text: 'look',
        attachments: [
          parsedAttachment({ kind: 'image', facebookType: 'image', url: photo }),
          parsedAttachment({ kind: 'video', facebookType: 'video', url: clip }),
        ],
      }),
    );
  });

  it.each([
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'javascript:alert(document.cookie)',
    'JaVaScRiPt:alert(1)',
    'ftp://files.example/a.png',
    'not a url',
  ])('an attachment whose link is not http(s) keeps no link: %s', (url) => {
    const mid = newMid();
    const item = attachmentMessage({ ...VISITOR, mid, attachments: [attachment('file', { url })] });
    expect(parseOne(item)).toStrictEqual(
      visitorMessage({
        mid,
        attachments: [parsedAttachment({ kind: 'file', facebookType: 'file' })],
      }),
    );
  });

  it('a legacy location: coordinates, no url', () => {
    const mid = newMid();
    const item = locationMessage({ ...VISITOR, mid, lat: 52.5163, long: -13.3777 });
    const coordinates = { lat: 52.5163, long: -13.3777 };
    expect(parseOne(item)).toStrictEqual(
      visitorMessage({
        mid,
        attachments: [
          parsedAttachment({ kind: 'location', facebookType: 'location', coordinates }),
        ],
      }),
    );
  });

  it('a shared link (fallback) with a payload, and without one', () => {
    const [withPayload, withoutPayload] = [newMid(), newMid()];
    const url = 'https://omni.example/pricing';
    const events = parseItems(
      fallbackMessage({ ...VISITOR, mid: withPayload, url, title: 'Pricing' }),
      fallbackMessage({ ...VISITOR, mid: withoutPayload }),
    );
    expect(events).toStrictEqual([
      visitorMessage({
        mid: withPayload,
        attachments: [
          parsedAttachment({ kind: 'fallback', facebookType: 'fallback', url, title: 'Pricing' }),
        ],
      }),
      visitorMessage({
        mid: withoutPayload,
        attachments: [parsedAttachment({ kind: 'fallback', facebookType: 'fallback' })],
      }),
    ]);
  });

  it('an older fallback with url and title beside a null payload keeps them', () => {
    const mid = newMid();
    const url = 'https://l.facebook.com/l.php?u=https%3A%2F%2Fomni.example';
    const fallback = { type: 'fallback', payload: null, title: 'Omni', url };
    const item = { ...ENVELOPE, message: { mid, attachments: [fallback] } };
    expect(parseOne(item)).toStrictEqual(
      visitorMessage({
        mid,
        attachments: [
          parsedAttachment({ kind: 'fallback', facebookType: 'fallback', url, title: 'Omni' }),
        ],
      }),
    );
  });

  it('a quick reply keeps its payload', () => {
    const mid = newMid();
    const item = quickReply({ ...VISITOR, mid, text: 'Red', payload: 'COLOR_RED' });
    expect(parseOne(item)).toStrictEqual(
      visitorMessage({ mid, text: 'Red', quickReplyPayload: 'COLOR_RED' }),
    );
  });

  it('a reply names the message it answers', () => {
    const [mid, replyToMid] = [newMid(), newMid()];
    const item = replyTo({ ...VISITOR, mid, text: 'yes, that one', replyToMid });
    expect(parseOne(item)).toStrictEqual(
      visitorMessage({ mid, text: 'yes, that one', replyToMid }),
    );
  });
});

describe('stickers', () => {
  it.each([
    ['sticker', 'sticker'],
    ['legacy', 'image'],
  ] as const)('the %s form gives one sticker and no image', (form, facebookType) => {
    const mid = newMid();
    const url = cdnUrl('like.png');
    const stickerId = String(LIKE_STICKER_ID);
    expect(parseOne(stickerMessage({ ...VISITOR, mid, form, url }))).toStrictEqual(
      visitorMessage({
        mid,
        stickerId,
        attachments: [parsedAttachment({ kind: 'sticker', facebookType, url, stickerId })],
      }),
    );
  });

  it('a sticker attachment alone, or a sticker_id alone, is one sticker too', () => {
    const [attachmentOnly, idOnly] = [newMid(), newMid()];
    const url = cdnUrl('wave.png');
    const sticker = attachment('sticker', { url, sticker_id: 126361870881943 });
    const events = parseItems(
      attachmentMessage({ ...VISITOR, mid: attachmentOnly, attachments: [sticker] }),
      { ...ENVELOPE, message: { mid: idOnly, sticker_id: 42 } },
    );
    expect(events).toStrictEqual([
      visitorMessage({
        mid: attachmentOnly,
        stickerId: '126361870881943',
        attachments: [
          parsedAttachment({
            kind: 'sticker',
            facebookType: 'sticker',
            url,
            stickerId: '126361870881943',
          }),
        ],
      }),
      visitorMessage({
        mid: idOnly,
        stickerId: '42',
        attachments: [
          parsedAttachment({ kind: 'sticker', facebookType: 'sticker', stickerId: '42' }),
        ],
      }),
    ]);
  });

  it('both forms in one message still give one sticker, the sticker attachment', () => {
    const mid = newMid();
    const [stickerUrl, imageUrl] = [cdnUrl('like.png'), cdnUrl('like-legacy.png')];
    const attachments = [
      attachment('image', { url: imageUrl, sticker_id: LIKE_STICKER_ID }),
      attachment('sticker', { url: stickerUrl, sticker_id: LIKE_STICKER_ID }),
    ];
    const event = parseOne(attachmentMessage({ ...VISITOR, mid, attachments }));
    const stickerId = String(LIKE_STICKER_ID);
    expect(event).toStrictEqual(
      visitorMessage({
        mid,
        stickerId,
        attachments: [
          parsedAttachment({
            kind: 'sticker',
            facebookType: 'sticker',
            url: stickerUrl,
            stickerId,
          }),
        ],
      }),
    );
  });
});

describe('echoes', () => {
  it("of Omni's own send: the visitor is the recipient, app id and metadata kept", () => {
    const mid = newMid();
    const item = echo({ ...VISITOR, mid, appId: OMNI_APP_ID, metadata: 'omni:42', text: 'Hi!' });
    expect(item.sender).toEqual({ id: PAGE_ID });
    expect(parseOne(item)).toStrictEqual({
      ...PARSED,
      type: 'echo',
      message: content({ mid, text: 'Hi!' }),
      appId: String(OMNI_APP_ID),
      metadata: 'omni:42',
    });
  });

  it("of a reply typed in Facebook's Page Inbox: its app id, no metadata", () => {
    const mid = newMid();
    const url = cdnUrl();
    const attachments = [attachment('image', { url })];
    const item = echo({ ...VISITOR, mid, appId: PAGE_INBOX_APP_ID, attachments });
    expect(parseOne(item)).toStrictEqual({
      ...PARSED,
      type: 'echo',
      message: content({
        mid,
        attachments: [parsedAttachment({ kind: 'image', facebookType: 'image', url })],
      }),
      appId: '263902037430900',
      metadata: null,
    });
  });
});

describe('shapes seen in the wild', () => {
  it("Meta's own message_deliveries example, without a timestamp, is a delivery dated by its watermark", () => {
    // developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-deliveries
    const item = {
      sender: { id: PSID },
      recipient: { id: PAGE_ID },
      delivery: { mids: ['mid.1458668856218:ed81099e15d3f4f233'], watermark: 1458668856253 },
    };
    const watermark = new Date(1458668856253);
    expect(parseOne(item as unknown as MessagingItem)).toStrictEqual({
      ...PARSED,
      occurredAt: watermark,
      type: 'delivery',
      mids: ['mid.1458668856218:ed81099e15d3f4f233'],
      watermark,
    });
  });

  it('the older sticker shape (sticker_id on the message, a plain image attachment) is one sticker', () => {
    const mid = newMid();
    const url = cdnUrl('369239263222822.png');
    const item = {
      ...ENVELOPE,
      message: {
        mid,
        sticker_id: 369239263222822,
        attachments: [{ type: 'image', payload: { url } }],
      },
    };
    expect(parseOne(item as MessagingItem)).toStrictEqual(
      visitorMessage({
        mid,
        stickerId: '369239263222822',
        attachments: [
          parsedAttachment({
            kind: 'sticker',
            facebookType: 'image',
            url,
            stickerId: '369239263222822',
          }),
        ],
      }),
    );
  });

  it('an echo addressed to the page itself is invalid, not a visitor', () => {
    const item = echo({ ...VISITOR, psid: PAGE_ID, appId: PAGE_INBOX_APP_ID, text: 'to myself' });
    const event = parseOne(item);
    expect(event).toMatchObject({ type: 'invalid', reason: 'recipient.id', psid: PAGE_ID });
  });
});

describe('receipts and taps', () => {
  it('a delivery receipt, with mids and without', () => {
    const mids = [newMid(), newMid()];
    const watermark = at(-5);
    const events = parseItems(
      deliveryReceipt({ ...VISITOR, watermark, mids }),
      deliveryReceipt({ ...VISITOR, watermark }),
    );
    expect(events).toStrictEqual([
      { ...PARSED, type: 'delivery', mids, watermark },
      { ...PARSED, type: 'delivery', mids: [], watermark },
    ]);
  });

  it('a read receipt', () => {
    const watermark = at(-1);
    expect(parseOne(readReceipt({ ...VISITOR, watermark }))).toStrictEqual({
      ...PARSED,
      type: 'read',
      watermark,
    });
  });

  it('a postback, with the referral that led to it and without', () => {
    const [getStarted, button] = [newMid(), newMid()];
    const ad = { ref: 'spring-sale', source: 'ADS', adId: '6045246247433' };
    const events = parseItems(
      postback({ ...VISITOR, mid: getStarted, referral: ad }),
      postback({ ...VISITOR, mid: button, title: 'Talk to us', payload: 'HUMAN' }),
    );
    expect(events).toStrictEqual([
      {
        ...PARSED,
        type: 'postback',
        mid: getStarted,
        title: 'Get Started',
        payload: 'GET_STARTED',
        referral: { ref: 'spring-sale', source: 'ADS', type: 'OPEN_THREAD', adId: '6045246247433' },
      },
      {
        ...PARSED,
        type: 'postback',
        mid: button,
        title: 'Talk to us',
        payload: 'HUMAN',
        referral: null,
      },
    ]);
  });

  it('a reaction added and removed', () => {
    const reactedToMid = newMid();
    const events = parseItems(
      reaction({ ...VISITOR, reactedToMid }),
      reaction({ ...VISITOR, reactedToMid, action: 'unreact', reaction: 'wow', emoji: '😮' }),
    );
    expect(events).toStrictEqual([
      {
        ...PARSED,
        type: 'reaction',
        action: 'react',
        reaction: 'love',
        emoji: '❤️',
        mid: reactedToMid,
      },
      {
        ...PARSED,
        type: 'reaction',
        action: 'unreact',
        reaction: 'wow',
        emoji: '😮',
        mid: reactedToMid,
      },
    ]);
  });

  it('a referral into an existing thread, from a link and from an ad', () => {
    const events = parseItems(
      referral({ ...VISITOR, ref: 'footer-link' }),
      referral({ ...VISITOR, ref: 'spring-sale', source: 'ADS', adId: '6045246247433' }),
    );
    expect(events).toStrictEqual([
      {
        ...PARSED,
        type: 'referral',
        referral: { ref: 'footer-link', source: 'SHORTLINK', type: 'OPEN_THREAD', adId: null },
      },
      {
        ...PARSED,
        type: 'referral',
        referral: { ref: 'spring-sale', source: 'ADS', type: 'OPEN_THREAD', adId: '6045246247433' },
      },
    ]);
  });

  it('a message edit', () => {
    const mid = newMid();
    const item = messageEdit({ ...VISITOR, mid, text: 'hello, corrected', editCount: 2 });
    expect(parseOne(item)).toStrictEqual({
      ...PARSED,
      type: 'message_edit',
      mid,
      text: 'hello, corrected',
      editCount: 2,
    });
  });
});

describe('diagnostics', () => {
  it('a plugin opt-in without a sender is named by its user_ref; with a sender, by the sender', () => {
    const withoutSender = optin({ pageId: PAGE_ID, userRef: 'ref-7f3a', at: AT });
    const withSender = optin({ pageId: PAGE_ID, userRef: 'ref-7f3a', psid: PSID, at: at(1) });
    expect(withoutSender).not.toHaveProperty('sender');
    expect(parseItems(withoutSender, withSender)).toStrictEqual([
      { ...PARSED, psid: 'ref-7f3a', type: 'optin', raw: withoutSender },
      { ...PARSED, occurredAt: at(1), type: 'optin', raw: withSender },
    ]);
  });

  it('a notification-messages opt-in is an opt-in too', () => {
    const item = notificationOptin(VISITOR);
    expect(parseOne(item)).toStrictEqual({ ...PARSED, type: 'optin', raw: item });
  });

  it('an opt-in with neither sender nor user_ref has an empty psid', () => {
    const item = { recipient: { id: PAGE_ID }, timestamp: AT.getTime(), optin: { ref: 'x' } };
    expect(parseOne(item)).toStrictEqual({ ...PARSED, psid: '', type: 'optin', raw: item });
  });

  it('a pass_thread_control names the new and previous owner apps and the metadata', () => {
    const item = passThreadControl({
      ...VISITOR,
      newOwnerAppId: '1517776481860111',
      previousOwnerAppId: '2000000000000002',
      metadata: 'over to you',
    });
    expect(parseOne(item)).toStrictEqual({
      ...PARSED,
      type: 'thread_control',
      action: 'pass_thread_control',
      newOwnerAppId: '1517776481860111',
      previousOwnerAppId: '2000000000000002',
      requestedOwnerAppId: null,
      metadata: 'over to you',
      raw: item,
    });
  });

  it.each([
    [
      'take_thread_control',
      { ...ENVELOPE, take_thread_control: { previous_owner_app_id: '1517776481860111' } },
      { previousOwnerAppId: '1517776481860111' },
    ],
    [
      'request_thread_control',
      { ...ENVELOPE, request_thread_control: { requested_owner_app_id: 1517776481860111 } },
      { requestedOwnerAppId: '1517776481860111' },
    ],
  ])('%s is a thread control event', (action, item, ids) => {
    expect(parseOne(item)).toStrictEqual({
      ...PARSED,
      type: 'thread_control',
      action,
      newOwnerAppId: null,
      previousOwnerAppId: null,
      requestedOwnerAppId: null,
      metadata: null,
      ...ids,
      raw: item,
    });
  });

  it.each([
    [
      'a handover without a sender',
      {
        recipient: { id: PAGE_ID },
        timestamp: AT.getTime(),
        pass_thread_control: { new_owner_app_id: '1' },
      },
    ],
    [
      'app_roles',
      {
        recipient: { id: PAGE_ID },
        timestamp: AT.getTime(),
        app_roles: { '1517776481860111': ['primary_receiver'] },
      },
    ],
  ])('%s is a handover diagnostic', (_name, item) => {
    expect(parseOne(item)).toStrictEqual({ ...PARSED, psid: '', type: 'handover', raw: item });
  });

  it('an event Omni does not know is kept raw as unknown', () => {
    const item = { ...ENVELOPE, message_unsend: { mid: newMid() } };
    expect(parseOne(item)).toStrictEqual({ ...PARSED, type: 'unknown', raw: item });
  });
});

describe('robustness', () => {
  it.each([
    ['a message without mid', { message: { text: 'hi' } }],
    ['a message that is not an object', { message: 'hi' }],
    ['a reaction with an unknown action', { reaction: { action: 'poke', mid: 'm_1' } }],
    ['a reaction without mid', { reaction: { action: 'react', reaction: 'love' } }],
    ['a delivery without watermark', { delivery: { mids: ['m_1'] } }],
    ['a read with a watermark that is not a time', { read: { watermark: 'yesterday' } }],
    ['an edit without num_edit', { message_edit: { mid: 'm_1', text: 'x' } }],
    ['an edit without text', { message_edit: { mid: 'm_1', num_edit: 1 } }],
    ['a postback that is null', { postback: null }],
  ])('%s becomes an unknown diagnostic', (_case, event) => {
    const item = { ...ENVELOPE, ...event };
    expect(parseOne(item)).toStrictEqual({ ...PARSED, type: 'unknown', raw: item });
  });

  it('a visitor event without a sender becomes an unknown diagnostic with an empty psid', () => {
    const { sender: _sender, ...item } = textMessage({ ...VISITOR, text: 'hi' });
    expect(parseOne(item)).toStrictEqual({ ...PARSED, psid: '', type: 'unknown', raw: item });
  });

  it('items without timestamp or recipient are invalid diagnostics; what is not an object is skipped', () => {
    const valid = textMessage({ ...VISITOR, text: 'still here' });
    const { timestamp: _timestamp, ...withoutTimestamp } = valid;
    const { recipient: _recipient, ...withoutRecipient } = valid;
    const items = [null, 7, 'text', [], withoutTimestamp, withoutRecipient, valid];
    const body = JSON.stringify({
      object: 'page',
      entry: [null, 'entry', { messaging: [valid] }, { id: PAGE_ID, messaging: items, standby: 5 }],
    });
    expect(
      parseDelivery(body).map((event) => [event.type, 'reason' in event ? event.reason : null]),
    ).toEqual([
      ['invalid', 'timestamp'],
      ['invalid', 'recipient.id'],
      ['message', null],
    ]);
  });

  it.each([
    ['not JSON', '{"object": "page", "entry": ['],
    ['JSON null', 'null'],
    ['another object', JSON.stringify({ object: 'instagram', entry: [] })],
    ['no entries', JSON.stringify({ object: 'page' })],
    ['entries that are not a list', JSON.stringify({ object: 'page', entry: {} })],
  ])('a body that is %s gives no events', (_case, body) => {
    expect(parseDelivery(body)).toEqual([]);
  });

  it('ids that arrive as JSON numbers become strings', () => {
    const mid = newMid();
    const body = `{"object":"page","entry":[{"id":${PAGE_ID},"time":1,"messaging":[{"sender":{"id":${PSID}},"recipient":{"id":${PAGE_ID}},"timestamp":${AT.getTime()},"message":{"mid":"${mid}","text":"hi"}}]}]}`;
    expect(parseDelivery(body)).toStrictEqual([visitorMessage({ mid, text: 'hi' })]);
  });
});

describe('deliveries', () => {
  it('read every entry and every item, in time order', () => {
    const [first, second, third] = [newMid(), newMid(), newMid()];
    const other = { psid: '5550001112223334', pageId: OTHER_PAGE_ID };
    const body = delivery(
      entry(
        PAGE_ID,
        textMessage({ ...VISITOR, mid: first, text: 'one' }),
        readReceipt({ ...VISITOR, at: at(2), watermark: at(1) }),
      ),
      entry(OTHER_PAGE_ID, textMessage({ ...other, mid: second, text: 'two', at: at(1) })),
      entry(PAGE_ID, textMessage({ ...VISITOR, mid: third, text: 'three', at: at(3) })),
    );
    const events = parseDelivery(serialiseLikeFacebook(body));
    expect(events.map((event) => [event.type, event.pageId, event.psid, event.occurredAt])).toEqual(
      [
        ['message', PAGE_ID, PSID, AT],
        ['message', OTHER_PAGE_ID, other.psid, at(1)],
        ['read', PAGE_ID, PSID, at(2)],
        ['message', PAGE_ID, PSID, at(3)],
      ],
    );
  });

  it('sort out-of-order items by time, keeping delivery order for equal times', () => {
    const mids = [newMid(), newMid(), newMid(), newMid()];
    const body = delivery(
      entry(PAGE_ID, textMessage({ ...VISITOR, mid: mids[3], text: 'late', at: at(30) })),
      entry(
        PAGE_ID,
        textMessage({ ...VISITOR, mid: mids[1], text: 'same time, first', at: at(10) }),
        textMessage({ ...VISITOR, mid: mids[0], text: 'earliest', at: at(0) }),
        textMessage({ ...VISITOR, mid: mids[2], text: 'same time, second', at: at(10) }),
      ),
    );
    const events = parseDelivery(serialiseLikeFacebook(body));
    expect(events.map((event) => (event.type === 'message' ? event.message.mid : null))).toEqual(
      mids,
    );
  });

  it('standby items are parsed like messaging items, on the standby channel', () => {
    const mid = newMid();
    const body = delivery(standbyEntry(PAGE_ID, textMessage({ ...VISITOR, mid, text: 'hi' })));
    expect(parseDelivery(serialiseLikeFacebook(body))).toStrictEqual([
      { ...visitorMessage({ mid, text: 'hi' }), channel: 'standby' },
    ]);
  });

  it('skip entries of pages the signature did not cover, when pageIds is given', () => {
    const body = serialiseLikeFacebook(
      delivery(
        entry(PAGE_ID, textMessage({ ...VISITOR, text: 'ours' })),
        entry(OTHER_PAGE_ID, textMessage({ ...VISITOR, pageId: OTHER_PAGE_ID, text: 'theirs' })),
      ),
    );
    const pageIdsOf = (events: MessengerEvent[]) => events.map((event) => event.pageId);
    expect(pageIdsOf(parseDelivery(body, { pageIds: new Set([PAGE_ID]) }))).toEqual([PAGE_ID]);
    expect(pageIdsOf(parseDelivery(body, { pageIds: new Set() }))).toEqual([]);
    expect(pageIdsOf(parseDelivery(body))).toEqual([PAGE_ID, OTHER_PAGE_ID]);
  });

  it('ignore feed changes', () => {
    const mid = newMid();
    const body = delivery(
      feedEntry(PAGE_ID),
      entry(PAGE_ID, textMessage({ ...VISITOR, mid, text: 'hi' })),
    );
    expect(parseDelivery(serialiseLikeFacebook(body))).toStrictEqual([
      visitorMessage({ mid, text: 'hi' }),
    ]);
  });

  it('read timestamps and watermarks in seconds as seconds', () => {
    const inSeconds = (date: Date) => date.getTime() / 1000;
    const mid = newMid();
    const events = parseItems(
      textMessage({ ...VISITOR, mid, text: 'hi', at: inSeconds(AT) }),
      deliveryReceipt({ ...VISITOR, at: inSeconds(at(1)), watermark: inSeconds(AT) }),
      readReceipt({ ...VISITOR, at: at(2), watermark: inSeconds(at(1)) }),
    );
    expect(events).toStrictEqual([
      visitorMessage({ mid, text: 'hi' }),
      { ...PARSED, occurredAt: at(1), type: 'delivery', mids: [], watermark: AT },
      { ...PARSED, occurredAt: at(2), type: 'read', watermark: at(1) },
    ]);
  });
});

describe('values Omni cannot store', () => {
  /** The year-10000 instant: JavaScript has it, PostgreSQL cannot read its ISO form. */
  const YEAR_10000 = Date.UTC(10_000, 0, 1);

  it.each([
    ['a mid over 255 characters', { mid: 'm_' + 'x'.repeat(300) }, 'message.mid'],
    ['a mid with a control character', { mid: 'm_a\u0000b' }, 'message.mid'],
    ['a sender id over 64 characters', { psid: '7'.repeat(65) }, 'sender.id'],
    ['a sender id with a space', { psid: '72 59' }, 'sender.id'],
    ['a time past year 9999', { at: YEAR_10000 }, 'timestamp'],
    ['a negative time', { at: -5 }, 'timestamp'],
  ])('an item with %s is an invalid diagnostic naming the field', (_case, fields, reason) => {
    const item = textMessage({ ...VISITOR, text: 'hi', ...fields });
    expect(parseOne(item)).toMatchObject({ type: 'invalid', pageId: PAGE_ID, reason });
  });

  it('a recipient id that is no id makes the item invalid', () => {
    const item = { ...ENVELOPE, recipient: { id: 'x'.repeat(65) }, message: { mid: newMid() } };
    expect(parseOne(item)).toMatchObject({ type: 'invalid', reason: 'recipient.id' });
  });

  it('invalid items leave their valid siblings as they are', () => {
    const mid = newMid();
    const events = parseItems(
      textMessage({ ...VISITOR, text: 'bad', mid: 'm_' + 'x'.repeat(300), at: at(-1) }),
      textMessage({ ...VISITOR, mid, text: 'good' }),
    );
    expect(events.map((event) => event.type)).toEqual(['invalid', 'message']);
    expect(events[1]).toStrictEqual(visitorMessage({ mid, text: 'good' }));
  });

  it('texts lose U+0000, lone surrogates become U+FFFD, and every text is bounded', () => {
    const mid = newMid();
    const item = quickReply({ ...VISITOR, mid, text: 'a\u0000b \ud83d!', payload: '\ude00P' });
    expect(parseOne(item)).toMatchObject({
      type: 'message',
      message: { mid, text: 'ab \ufffd!', quickReplyPayload: '\ufffdP' },
    });
    const long = parseOne(textMessage({ ...VISITOR, text: '😀'.repeat(50_000) }));
    const text = (long as { message: MessageContent }).message.text!;
    expect([...text].length).toBe(20_000);
    expect(/\p{Cs}/u.test(text)).toBe(false);
    const titled = parseOne(postback({ ...VISITOR, title: 't\u0000'.repeat(5_000), payload: 'P' }));
    expect([...(titled as { title: string }).title].length).toBe(2_000);
  });

  it('secondary ids and links that are not storable count as absent', () => {
    const mid = newMid();
    const item = replyTo({ ...VISITOR, mid, text: 'hi', replyToMid: 'm_\u0000' });
    expect(parseOne(item)).toMatchObject({ message: { mid, replyToMid: null } });
    const link = attachmentMessage({
      ...VISITOR,
      attachments: [attachment('image', { url: `https://cdn.example/${'a'.repeat(9_000)}` })],
    });
    expect(parseOne(link)).toMatchObject({ message: { attachments: [{ url: null }] } });
  });
});

describe('fixtures', () => {
  it('serialiseLikeFacebook escapes non-ASCII and slashes, and parses back to the same value', () => {
    const value = delivery(entry(PAGE_ID, textMessage({ ...VISITOR, text: 'Grüße 😀 a/b' })));
    const body = serialiseLikeFacebook(value);
    expect(body).toContain('Gr\\u00fc\\u00dfe \\ud83d\\ude00 a\\/b');
    expect(body).toMatch(/^[\x20-\x7e]*$/);
    expect(body).not.toBe(JSON.stringify(value));
    expect(JSON.parse(body)).toStrictEqual(value);
  });

  it('give random m_ mids and the current time by default', () => {
    const before = Date.now();
    const items = [
      textMessage({ psid: PSID, pageId: PAGE_ID, text: 'a' }),
      textMessage({ psid: PSID, pageId: PAGE_ID, text: 'b' }),
    ];
    const mids = items.map((item) => (item['message'] as { mid: string }).mid);
    expect(mids[0]).toMatch(/^m_[\w-]{20,}$/);
    expect(mids[0]).not.toBe(mids[1]);
    for (const item of items) {
      expect(item.timestamp).toBeGreaterThanOrEqual(before);
      expect(item.timestamp).toBeLessThanOrEqual(Date.now());
    }
  });
});
