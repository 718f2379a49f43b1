import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contact } from '../../conversations/contact.entity.js';
import { Message } from '../../conversations/message.entity.js';
import { Conversation } from '../../conversations/conversation.entity.js';
import { TENANT_FILTER } from '../../../db/tenant-filter.js';
import {
  connectFacebookPage,
  postDelivery,
  signUpTenant,
  startTestApi,
  startTestWorker,
  useTestApi,
  type ConnectedPage,
  type SignedIn,
} from '../../../testing/test-api.js';
import { JobQueues } from '../../../jobs/job-queues.js';
import { createLogger } from '../../../logger.js';
import { createRedis } from '../../../redis.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { DIAGNOSTICS_PER_DELIVERY, WebhookEvent } from '../webhook-event.entity.js';
import {
  attachment,
  attachmentMessage,
  delivery,
  deliveryReceipt,
  echo,
  entry,
  locationMessage,
  messageEdit,
  newMid,
  optin,
  passThreadControl,
  fallbackMessage,
  replyTo,
  PAGE_INBOX_APP_ID,
  postback,
  quickReply,
  reaction,
  readReceipt,
  referral,
  standbyEntry,
  stickerMessage,
  textMessage,
} from '../../../testing/messenger-fixtures.js';
import { TcpProxy } from '../../../testing/tcp-proxy.js';
import { WebhookSweeper } from './webhook-sweeper.js';

/**
 * Deliveries driven through the whole path: HTTP → PostgreSQL → worker → the API, asserting
 * what an operator will see.
 */
const api = useTestApi({ REDIS_PREFIX: `omni-test-inbound-${Date.now()}` });
let worker: { stop: () => Promise<void> };
beforeAll(async () => {
  worker = await startTestWorker(api);
});
afterAll(() => worker?.stop());

type Setup = { admin: SignedIn; connected: ConnectedPage; pageId: string; psid: string };

let psidCounter = 0;
async function setUp(): Promise<Setup> {
  const admin = await signUpTenant(api);
  const connected = await connectFacebookPage(api, admin.token);
  return {
    admin,
    connected,
    pageId: connected.page.pageId,
    psid: `7000${Date.now()}${psidCounter++}`,
  };
}

async function send(setup: Setup, ...items: Parameters<typeof entry>[1][]): Promise<void> {
  const response = await postDelivery(
    api,
    setup.admin.tenant.key,
    delivery(entry(setup.pageId, ...items)),
    setup.connected.appSecret,
  );
  expect(response.status).toBe(200);
}

/** Waits until every stored delivery of the tenant is processed, then reads the API. */
async function settled(setup: Setup): Promise<void> {
  await expect
    .poll(
      () =>
        api.orm.em
          .fork()
          .count(
            WebhookEvent,
            { tenant: setup.admin.tenant.id, status: 'pending' },
            { filters: { [TENANT_FILTER]: false } },
          ),
      { timeout: 10_000 },
    )
    .toBe(0);
}

/** The tenant's webhook_event rows. */
function storedDeliveries(setup: Setup): Promise<WebhookEvent[]> {
  return api.orm.em
    .fork()
    .find(WebhookEvent, { tenant: setup.admin.tenant.id }, { filters: { [TENANT_FILTER]: false } });
}

async function conversations(setup: Setup) {
  return (await api.request('GET', '/api/conversations', { token: setup.admin.token })).body
    .items as {
    id: string;
    status: string;
    lastInboundAt: string | null;
    contact: { psid: string; name: string };
    channel: { pageId: string; pageName: string };
    unreadCount: number;
  }[];
}

async function history(setup: Setup, conversationId: string) {
  return (
    await api.request('GET', `/api/conversations/${conversationId}/messages`, {
      token: setup.admin.token,
    })
  ).body.items as {
    id: string;
    kind: string;
    text: string | null;
    direction: string;
    source: string;
    status: string | null;
    attachments: {
      kind: string;
      url: string | null;
      fileUrl: string | null;
      stickerId: string | null;
      coordinates: unknown;
    }[];
    details: Record<string, unknown>;
    editedAt: string | null;
    createdAt: string;
  }[];
}

describe('a visitor message', () => {
  it('creates the contact and a queued conversation with the message, at the platform time', async () => {
    const setup = await setUp();
    const at = new Date(Date.now() - 60_000);
    await send(
      setup,
      textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'Hello, is anyone there?', at }),
    );
    await settled(setup);
    const [conversation, ...others] = await conversations(setup);
    expect(others).toEqual([]);
    expect(conversation).toMatchObject({
      status: 'queued',
      lastInboundAt: at.toISOString(),
      contact: { psid: setup.psid, name: `Facebook user ${setup.psid.slice(-4)}` },
      channel: { pageId: setup.pageId },
      unreadCount: 1,
    });
    const messages = await history(setup, conversation!.id);
    expect(messages).toEqual([
      expect.objectContaining({
        direction: 'in',
        source: 'visitor',
        kind: 'text',
        text: 'Hello, is anyone there?',
        createdAt: at.toISOString(),
      }),
    ]);
  });

  it('delivered ten times at once is stored once', async () => {
    const setup = await setUp();
    const body = delivery(
      entry(
        setup.pageId,
        textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'only once', mid: newMid() }),
      ),
    );
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        postDelivery(api, setup.admin.tenant.key, body, setup.connected.appSecret),
      ),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    await settled(setup);
    const [conversation] = await conversations(setup);
    expect((await history(setup, conversation!.id)).map((message) => message.text)).toEqual([
      'only once',
    ]);
  });

  it('arriving out of order is shown in the order the visitor wrote', async () => {
    const setup = await setUp();
    const base = Date.now() - 10_000;
    await send(
      setup,
      textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'second', at: base + 2_000 }),
    );
    await send(
      setup,
      textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'first', at: base + 1_000 }),
    );
    await settled(setup);
    const [conversation] = await conversations(setup);
    expect((await history(setup, conversation!.id)).map((message) => message.text)).toEqual([
      'first',
      'second',
    ]);
    expect(conversation!.lastInboundAt).toBe(new Date(base + 2_000).toISOString());
  });

  it('reopens a closed conversation into the queue', async () => {
    const setup = await setUp();
    await send(setup, textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'first visit' }));
    await settled(setup);
    const [first] = await conversations(setup);
    await api.orm.em
      .fork()
      .nativeUpdate(
        Conversation,
        { id: first!.id },
        { status: 'closed', closedAt: new Date() },
        { filters: false },
      );
    await send(setup, textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'back again' }));
    await settled(setup);
    const [again, ...others] = await conversations(setup);
    expect(others).toEqual([]);
    expect(again).toMatchObject({ id: first!.id, status: 'queued' });
  });
});

describe('every kind of event', () => {
  it('is shown as the operator expects: attachments, stickers, locations, quick replies, postbacks, reactions, referrals', async () => {
    const setup = await setUp();
    const visitor = { psid: setup.psid, pageId: setup.pageId };
    const base = Date.now() - 60_000;
    const photo = attachment('image');
    await send(
      setup,
      attachmentMessage({ ...visitor, at: base + 1, attachments: [photo] }),
      stickerMessage({ ...visitor, at: base + 2 }),
      locationMessage({ ...visitor, at: base + 3, lat: 23.81, long: 90.41 }),
      quickReply({ ...visitor, at: base + 4, text: 'Red', payload: 'COLOR_RED' }),
      postback({ ...visitor, at: base + 5 }),
      reaction({
        ...visitor,
        at: base + 6,
        reactedToMid: 'm_target',
        reaction: 'love',
        emoji: '❤️',
      }),
      referral({ ...visitor, at: base + 7, ref: 'summer-campaign' }),
    );
    await settled(setup);
    const [conversation] = await conversations(setup);
    const messages = await history(setup, conversation!.id);
    expect(messages.map((message) => message.kind)).toEqual([
      'image',
      'sticker',
      'location',
      'text',
      'postback',
      'reaction',
      'referral',
    ]);
    expect(messages[0]!.attachments[0]).toMatchObject({
      kind: 'image',
      url: photo.payload?.['url'],
    });
    expect(messages[1]!.attachments).toHaveLength(1);
    expect(messages[2]!.attachments[0]!.coordinates).toEqual({ lat: 23.81, long: 90.41 });
    expect(messages[3]!.details).toMatchObject({ quickReplyPayload: 'COLOR_RED' });
    expect(messages[4]!.details).toMatchObject({ payload: 'GET_STARTED' });
    expect(messages[5]).toMatchObject({
      text: '❤️',
      details: { action: 'react', targetMid: 'm_target' },
    });
    expect(messages[6]).toMatchObject({ text: 'summer-campaign' });
  });

  it('keeps replies, shared links and files as the visitor sent them', async () => {
    const setup = await setUp();
    const visitor = { psid: setup.psid, pageId: setup.pageId };
    const base = Date.now() - 60_000;
    await send(
      setup,
      replyTo({ ...visitor, at: base + 1, text: 'about that', replyToMid: 'm_earlier' }),
      fallbackMessage({
        ...visitor,
        at: base + 2,
        url: 'https://example.com/article',
        title: 'An article',
      }),
      attachmentMessage({
        ...visitor,
        at: base + 3,
        attachments: [attachment('file'), attachment('audio'), attachment('video')],
      }),
    );
    await settled(setup);
    const [conversation] = await conversations(setup);
    const messages = await history(setup, conversation!.id);
    expect(messages.map((message) => message.kind)).toEqual(['text', 'fallback', 'file']);
    expect(messages[0]!.details).toMatchObject({ replyToMid: 'm_earlier' });
    expect(messages[1]!.attachments[0]).toMatchObject({
      kind: 'fallback',
      url: 'https://example.com/article',
    });
    expect(messages[2]!.attachments.map((item) => item.kind)).toEqual(['file', 'audio', 'video']);
  });

  it('records opt-ins and handover events for diagnosis without making conversations', async () => {
    const setup = await setUp();
    await send(
      setup,
      optin({ pageId: setup.pageId, userRef: 'plugin-user-1', ref: 'checkbox' }),
      passThreadControl({ psid: setup.psid, pageId: setup.pageId }),
    );
    await settled(setup);
    expect(await conversations(setup)).toEqual([]);
    const [event] = await storedDeliveries(setup);
    expect(event!.status).toBe('processed');
    expect(event!.diagnostics.map((diagnostic) => diagnostic.type)).toEqual(['optin', 'handover']);
  });

  it('keeps a bounded diagnosis of a delivery full of odd events, never splitting an emoji', async () => {
    const setup = await setUp();
    const huge = `a${'😀'.repeat(1_000)}`;
    const optins = Array.from({ length: 100 }, () =>
      optin({ pageId: setup.pageId, userRef: huge, psid: huge }),
    );
    await send(setup, ...optins);
    await settled(setup);
    const [event] = await storedDeliveries(setup);
    expect(event!.status).toBe('processed');
    expect(event!.diagnostics).toHaveLength(DIAGNOSTICS_PER_DELIVERY);
    for (const diagnostic of event!.diagnostics) {
      expect(diagnostic.psid.startsWith('a😀😀')).toBe(true);
      expect([...diagnostic.psid].length).toBeLessThanOrEqual(100);
      expect(/\p{Cs}/u.test(diagnostic.psid)).toBe(false); // no half of a surrogate pair
    }
  });

  it('edits change the text and mark it edited; a late older edit does not win', async () => {
    const setup = await setUp();
    const visitor = { psid: setup.psid, pageId: setup.pageId };
    const mid = newMid();
    await send(setup, textMessage({ ...visitor, mid, text: 'helo' }));
    await send(setup, messageEdit({ ...visitor, mid, text: 'hello!', editCount: 2 }));
    await send(setup, messageEdit({ ...visitor, mid, text: 'hello', editCount: 1 }));
    await settled(setup);
    const [conversation] = await conversations(setup);
    const [message] = await history(setup, conversation!.id);
    expect(message).toMatchObject({ text: 'hello!', editedAt: expect.any(String) });
  });

  it('an edit handled before its message waits for it; one whose message never came is kept for diagnosis', async () => {
    const setup = await setUp();
    const visitor = { psid: setup.psid, pageId: setup.pageId };
    const mid = newMid();
    await send(setup, messageEdit({ ...visitor, mid, text: 'fixed text', editCount: 1 }));
    await send(setup, textMessage({ ...visitor, mid, text: 'fixd text' }));
    await settled(setup);
    const [conversation] = await conversations(setup);
    const [message] = await history(setup, conversation!.id);
    expect(message).toMatchObject({ text: 'fixed text', editedAt: expect.any(String) });

    // An edit of a message Omni never received: retried while young, then a diagnostic.
    await send(setup, messageEdit({ ...visitor, mid: newMid(), text: 'lost', editCount: 1 }));
    await api.orm.em
      .fork()
      .getConnection()
      .execute(
        `update webhook_event set created_at = now() - interval '2 minutes'
         where tenant_id = ? and status = 'pending'`,
        [setup.admin.tenant.id],
      );
    await settled(setup);
    const events = await storedDeliveries(setup);
    expect(events.map((event) => event.status)).toEqual(['processed', 'processed', 'processed']);
    expect(events.flatMap((event) => event.diagnostics.map((d) => d.type))).toEqual([
      'message_edit',
    ]);
  });

  it("shows replies typed in Facebook's Page Inbox as outbound page_inbox messages", async () => {
    const setup = await setUp();
    await send(
      setup,
      textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'Hi', at: Date.now() - 2_000 }),
      echo({
        psid: setup.psid,
        pageId: setup.pageId,
        appId: PAGE_INBOX_APP_ID,
        text: 'Answered from Facebook',
        at: Date.now() - 1_000,
      }),
    );
    await settled(setup);
    const [conversation] = await conversations(setup);
    const messages = await history(setup, conversation!.id);
    expect(messages.map((message) => [message.direction, message.source, message.text])).toEqual([
      ['in', 'visitor', 'Hi'],
      ['out', 'page_inbox', 'Answered from Facebook'],
    ]);
    expect(conversation!.lastInboundAt).toBe(messages[0]!.createdAt);
  });

  it("records a thread that only the Page Inbox wrote, closed and nobody's; the visitor's answer queues it", async () => {
    const setup = await setUp();
    const fromPageInbox = (text: string, at: number) =>
      echo({ psid: setup.psid, pageId: setup.pageId, appId: PAGE_INBOX_APP_ID, text, at });
    await send(setup, fromPageInbox('We have news for you', Date.now() - 3_000));
    await settled(setup);
    const [recorded] = await api.orm.em
      .fork()
      .find(Conversation, { tenant: setup.admin.tenant.id }, { filters: false });
    expect(recorded).toMatchObject({ status: 'closed', operator: null, queuedAt: null });
    expect((await history(setup, recorded!.id)).map((message) => message.source)).toEqual([
      'page_inbox',
    ]);
    const queue = await api.request('GET', '/api/queue', { token: setup.admin.token });
    expect(JSON.stringify(queue.body)).not.toContain(recorded!.id);

    // A second echo leaves it closed; the visitor writing back puts it in the queue.
    await send(setup, fromPageInbox('Still there?', Date.now() - 2_000));
    await settled(setup);
    const stillClosed = await api.orm.em
      .fork()
      .findOneOrFail(Conversation, recorded!.id, { filters: false });
    expect(stillClosed.status).toBe('closed');
    await send(setup, textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'Yes!' }));
    await settled(setup);
    const answered = await api.orm.em
      .fork()
      .findOneOrFail(Conversation, recorded!.id, { filters: false });
    expect(answered.status).toBe('queued');
  });

  it("confirms Omni's own message from its echo instead of adding it twice, then advances it by delivery and read", async () => {
    const setup = await setUp();
    await send(
      setup,
      textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'Hi', at: Date.now() - 10_000 }),
    );
    await settled(setup);
    const [conversation] = await conversations(setup);
    const em = api.orm.em.fork();
    const inbound = await em.findOneOrFail(
      Message,
      { conversation: conversation!.id },
      { filters: false, populate: ['conversation', 'page', 'tenant'] },
    );
    const sentAt = new Date(Date.now() - 5_000);
    const own = new Message(
      inbound.tenant,
      inbound.conversation,
      inbound.page,
      'out',
      'operator',
      'text',
      sentAt,
      `omni:${Date.now()}`,
    );
    own.text = 'Hello from Omni';
    own.status = 'pending';
    await em.persist(own).flush();

    const mid = newMid();
    await send(
      setup,
      echo({
        psid: setup.psid,
        pageId: setup.pageId,
        mid,
        metadata: own.id,
        text: 'Hello from Omni',
      }),
    );
    await settled(setup);
    let messages = await history(setup, conversation!.id);
    expect(messages.filter((message) => message.direction === 'out')).toEqual([
      expect.objectContaining({ id: own.id, status: 'sent', text: 'Hello from Omni' }),
    ]);

    await send(
      setup,
      deliveryReceipt({
        psid: setup.psid,
        pageId: setup.pageId,
        watermark: Date.now(),
        mids: [mid],
      }),
    );
    await settled(setup);
    messages = await history(setup, conversation!.id);
    expect(messages.find((message) => message.id === own.id)?.status).toBe('delivered');

    await send(
      setup,
      readReceipt({ psid: setup.psid, pageId: setup.pageId, watermark: Date.now() }),
    );
    await settled(setup);
    messages = await history(setup, conversation!.id);
    expect(messages.find((message) => message.id === own.id)?.status).toBe('read');
  });

  it('records standby messages once, even when the same message comes again in messaging', async () => {
    const setup = await setUp();
    const item = textMessage({
      psid: setup.psid,
      pageId: setup.pageId,
      text: 'while another app had the thread',
      mid: newMid(),
    });
    await postDelivery(
      api,
      setup.admin.tenant.key,
      delivery(standbyEntry(setup.pageId, item)),
      setup.connected.appSecret,
    );
    await postDelivery(
      api,
      setup.admin.tenant.key,
      delivery(entry(setup.pageId, item)),
      setup.connected.appSecret,
    );
    await settled(setup);
    const [conversation] = await conversations(setup);
    expect((await history(setup, conversation!.id)).map((message) => message.text)).toEqual([
      'while another app had the thread',
    ]);
  });
});

describe("the visitor's profile", () => {
  it('gives the conversation the name and photo from the User Profile API, fetched in its own job', async () => {
    const setup = await setUp();
    api.fakeGraph.registerUser({
      pageId: setup.pageId,
      psid: setup.psid,
      firstName: 'Ada',
      lastName: 'Lovelace',
      profilePic: 'https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=1',
    });
    await send(setup, textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'Hi' }));
    await settled(setup);
    await expect
      .poll(async () => (await conversations(setup))[0]?.contact.name, { timeout: 10_000 })
      .toBe('Ada Lovelace');
    const [conversation] = await conversations(setup);
    expect(conversation!.contact).toMatchObject({
      avatarUrl: 'https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=1',
    });
  });

  it('keeps a readable placeholder when Facebook gives no profile', async () => {
    const setup = await setUp();
    api.fakeGraph.registerUser({
      pageId: setup.pageId,
      psid: setup.psid,
      profileAccess: 'no_profile',
    });
    await send(setup, textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'Hi' }));
    await settled(setup);
    const contact = async () =>
      api.orm.em.fork().findOne(Contact, { psid: setup.psid }, { filters: false });
    await expect
      .poll(async () => (await contact())?.profileStatus, { timeout: 10_000 })
      .toBe('unavailable');
    expect((await conversations(setup))[0]!.contact.name).toBe(
      `Facebook user ${setup.psid.slice(-4)}`,
    );
  });

  it('never drops a message because the page token died; the page shows it needs a new token', async () => {
    const setup = await setUp();
    api.fakeGraph.revokeToken(setup.connected.accessToken, 'expired');
    await send(
      setup,
      textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'Are you there?' }),
    );
    await settled(setup);
    const [conversation] = await conversations(setup);
    expect((await history(setup, conversation!.id)).map((message) => message.text)).toEqual([
      'Are you there?',
    ]);
    await expect
      .poll(
        async () =>
          (
            await api.request('GET', `/api/channels/facebook/${setup.connected.page.id}`, {
              token: setup.admin.token,
            })
          ).body.status,
        { timeout: 10_000 },
      )
      .toMatchObject({ tokenValid: false, lastError: expect.stringContaining('token') });
  });
});

describe('attachments', () => {
  /** A 1×1 PNG: real magic numbers, so sniffing finds image/png. */
  const picture = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2d4e6f40000000049454e44ae426082',
    'hex',
  );

  async function attachmentsOf(setup: Setup) {
    const [conversation] = await conversations(setup);
    return (await history(setup, conversation!.id))[0]!.attachments;
  }

  it("are copied into Omni's storage and served through a signed link that expires", async () => {
    const setup = await setUp();
    const name = `photo-${newMid()}.png`;
    // The CDN says "text/html": the stored type comes from the bytes.
    api.fakeGraph.publishCdnFile(name, { content: picture, contentType: 'text/html' });
    const url = `${api.fakeGraph.cdnUrl(name)}?oh=signed`;
    await send(
      setup,
      attachmentMessage({
        psid: setup.psid,
        pageId: setup.pageId,
        attachments: [attachment('image', { url })],
      }),
    );
    await settled(setup);
    await expect
      .poll(async () => (await attachmentsOf(setup))[0]!.fileUrl, { timeout: 10_000 })
      .toEqual(expect.stringMatching(/^\/api\/files\//));
    const { fileUrl: link, url: original } = (await attachmentsOf(setup))[0]!;
    expect(original).toBe(url);

    const served = await fetch(`${api.url}${link}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(picture);

    const flipped = link!.slice(0, -1) + (link!.endsWith('0') ? '1' : '0');
    const tampered = await fetch(`${api.url}${flipped}`);
    expect(tampered.status).toBe(403);
    const expired = link!.replace(/expires=\d+/, `expires=${Date.now() - 1000}`);
    expect((await fetch(`${api.url}${expired}`)).status).toBe(403);
  });

  it('that point at internal addresses, redirect there or are not http(s) are never fetched nor kept', async () => {
    const setup = await setUp();
    const hits: string[] = [];
    const internal = createServer((request, response) => {
      hits.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'image/png' }).end(picture);
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    const internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}`;
    const redirect = `redirect-${newMid()}`;
    api.fakeGraph.publishCdnFile(redirect, { redirectTo: `${internalUrl}/health` });
    const good = `good-${newMid()}.png`;
    api.fakeGraph.publishCdnFile(good, { content: picture, contentType: 'image/png' });
    try {
      await send(
        setup,
        attachmentMessage({
          psid: setup.psid,
          pageId: setup.pageId,
          attachments: [
            attachment('image', { url: `${internalUrl}/health` }),
            attachment('image', { url: `${api.url}/api/demo/accounts` }),
            attachment('image', { url: 'http://10.0.0.1/admin' }),
            attachment('image', { url: api.fakeGraph.cdnUrl(redirect) }),
            attachment('file', {
              url: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
            }),
            attachment('file', { url: 'javascript:alert(1)' }),
            attachment('image', { url: api.fakeGraph.cdnUrl(good) }),
          ],
        }),
      );
      await settled(setup);
      // The one allowed link is copied; by then the others had their (refused) turn too.
      await expect
        .poll(async () => (await attachmentsOf(setup))[6]!.fileUrl, { timeout: 10_000 })
        .not.toBeNull();
      await expect.poll(() => api.fakeGraph.cdnDownloadCount(redirect)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const attachments = await attachmentsOf(setup);
      expect(attachments.map((item) => item.fileUrl !== null)).toEqual([
        false,
        false,
        false,
        false,
        false,
        false,
        true,
      ]);
      expect(attachments.slice(4, 6).map((item) => item.url)).toEqual([null, null]);
      expect(hits).toEqual([]);
    } finally {
      internal.close();
    }
  });
});

describe('the panel', () => {
  it('is told at once: the worker pushes the new message and the conversation over socket.io', async () => {
    const setup = await setUp();
    const socket = io(api.url, {
      auth: { token: setup.admin.token },
      transports: ['websocket'],
      reconnection: false,
    });
    try {
      await new Promise<void>((resolve, reject) =>
        socket.once('connect', () => resolve()).once('connect_error', reject),
      );
      const messageCreated = new Promise<{ text: string }>((resolve) =>
        socket.once('message.created', resolve),
      );
      const conversationUpdated = new Promise<{ status: string; contact: { psid: string } }>(
        (resolve) => socket.once('conversation.updated', resolve),
      );
      await send(setup, textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'live!' }));
      expect((await messageCreated).text).toBe('live!');
      expect(await conversationUpdated).toMatchObject({
        status: 'queued',
        contact: { psid: setup.psid },
      });
    } finally {
      socket.disconnect();
    }
  });
});

describe('pages', () => {
  it("drops the events of a page deleted after they were stored, and stores a deactivated page's", async () => {
    const setup = await setUp();
    await api.request('PATCH', `/api/channels/facebook/${setup.connected.page.id}`, {
      token: setup.admin.token,
      body: { active: false },
    });
    await send(setup, textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'still here' }));
    await settled(setup);
    expect(await conversations(setup)).toHaveLength(1);
    const page = await api.request('GET', `/api/channels/facebook/${setup.connected.page.id}`, {
      token: setup.admin.token,
    });
    expect(page.body.status.lastEventAt).toEqual(expect.any(String));
  });
});

describe('when Redis goes away while deliveries arrive', () => {
  it('still acknowledges them once stored, and processes every one exactly once when Redis is back', async () => {
    const redisUrl = new URL(api.config.redisUrl);
    const proxy = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    const outageApi = await startTestApi({
      REDIS_URL: `redis://127.0.0.1:${await proxy.start()}`,
      REDIS_PREFIX: api.config.redisPrefix,
    });
    try {
      const admin = await signUpTenant(outageApi);
      const connected = await connectFacebookPage(outageApi, admin.token);
      const setup: Setup = {
        admin,
        connected,
        pageId: connected.page.pageId,
        psid: `7100${Date.now()}`,
      };
      await proxy.cut();
      const bodies = Array.from({ length: 20 }, (_, index) =>
        delivery(
          entry(
            setup.pageId,
            textMessage({
              psid: setup.psid,
              pageId: setup.pageId,
              text: `during outage ${index}`,
              at: Date.now() + index,
            }),
          ),
        ),
      );
      for (const body of [...bodies, bodies[0]!]) {
        const response = await postDelivery(outageApi, admin.tenant.key, body, connected.appSecret);
        expect(response.status).toBe(200);
      }
      await proxy.restore();
      // Whatever wake-up the reconnecting client did not deliver, the sweeper sends.
      const redis = createRedis(api.config, 'outage-sweeper', createLogger(api.config));
      const queues = new JobQueues(redis, api.config.redisPrefix, createLogger(api.config));
      try {
        await new WebhookSweeper(api.orm.em.fork(), queues).sweep();
      } finally {
        await queues.close();
        redis.disconnect();
      }
      await settled(setup);
      const [conversation] = await conversations(setup);
      const texts = (await history(setup, conversation!.id)).map((message) => message.text);
      expect(texts).toEqual(Array.from({ length: 20 }, (_, index) => `during outage ${index}`));
    } finally {
      await outageApi.stop();
      await proxy.cut();
    }
  });
});

describe('when jobs are lost', () => {
  it('the sweeper puts stored but unprocessed deliveries back into the queue', async () => {
    const setup = await setUp();
    const em = api.orm.em.fork();
    // A delivery stored while Redis was down: in PostgreSQL, never enqueued.
    const body = Buffer.from(
      JSON.stringify(
        delivery(
          entry(
            setup.pageId,
            textMessage({ psid: setup.psid, pageId: setup.pageId, text: 'lost job' }),
          ),
        ),
      ),
    );
    const event = new WebhookEvent(em.getReference(Tenant, setup.admin.tenant.id), body, [
      setup.pageId,
    ]);
    event.createdAt = new Date(Date.now() - 120_000);
    await em.persist(event).flush();

    const redis = createRedis(api.config, 'sweeper-test', createLogger(api.config));
    const queues = new JobQueues(redis, api.config.redisPrefix, createLogger(api.config));
    try {
      expect(await new WebhookSweeper(em.fork(), queues).sweep()).toBeGreaterThanOrEqual(1);
    } finally {
      await queues.close();
      redis.disconnect();
    }
    await settled(setup);
    const [conversation] = await conversations(setup);
    expect((await history(setup, conversation!.id)).map((message) => message.text)).toEqual([
      'lost job',
    ]);
  });
});
