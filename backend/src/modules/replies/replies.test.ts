import type { EntityManager } from '@mikro-orm/postgresql';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import {
  connectFacebookPage,
  createOperator,
  postDelivery,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../../testing/test-api.js';
import { fakeGraphErrors } from '../fake-graph/fake-graph-errors.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import type { FakePage } from '../fake-graph/fake-graph.js';
import { FetchGraphClient } from '../facebook/graph/fetch-graph-client.js';
import {
  deliveryReceipt,
  delivery,
  echo,
  entry,
  readReceipt,
  textMessage,
} from '../../testing/messenger-fixtures.js';
import { until } from '../../testing/until.js';
import { ECHO_WAIT_MS, OutboundSender } from './outbound-sender.js';
import { OutboundSweeper } from './outbound-sweeper.js';

const api = useTestApi();
/** For senders a test drives itself: the worker's outbox sweep tells the panels. */
const leaveToOutboxSweep = async () => {};
let worker: Awaited<ReturnType<typeof startTestWorker>>;
beforeAll(async () => {
  worker = await startTestWorker(api);
});
afterAll(() => worker?.stop());

const HOUR = 3_600_000;

/**
 * A visitor who wrote `hoursAgo` ago to a page, and the operator holding their chat.
 * Returns helpers to reply, read the history and deliver webhooks for that visitor.
 */
async function chatWithVisitor(options: { hoursAgo?: number; humanAgent?: boolean } = {}) {
  const admin = await signUpTenant(api);
  const connected = await connectFacebookPage(api, admin.token, {
    humanAgentEnabled: options.humanAgent ?? false,
  });
  const pageId = connected.page.pageId;
  const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
  const operator = await createOperator(api, admin.token);
  await api.request('PUT', '/api/me/status', { token: operator.token, body: { status: 'online' } });
  const deliver = (...items: Parameters<typeof entry>[1][]) =>
    postDelivery(api, admin.tenant.key, delivery(entry(pageId, ...items)), connected.appSecret);
  await deliver(
    textMessage({
      psid: visitor.psid,
      pageId,
      text: 'Hello?',
      at: new Date(Date.now() - (options.hoursAgo ?? 0) * HOUR),
    }),
  );
  const conversation = await until(
    async () =>
      (await api.request('GET', '/api/conversations', { token: admin.token })).body.items[0],
    (found) => found?.status === 'assigned',
  );
  expect(conversation.operatorId).toBe(operator.user.id);
  const history = async () =>
    (
      await api.request('GET', `/api/conversations/${conversation.id}/messages`, {
        token: operator.token,
      })
    ).body.items as { id: string; direction: string; status: string; error: string | null }[];
  const outbound = async () => (await history()).filter((message) => message.direction === 'out');
  const reply = (text: string) =>
    api.request('POST', `/api/conversations/${conversation.id}/messages`, {
      token: operator.token,
      body: { text },
    });
  /** Facebook's echo of the last message the page sent: its mid, text and our metadata. */
  const echoLastSend = () => {
    const sent = api.fakeGraph.sentMessages(pageId).at(-1)!;
    return deliver(
      echo({
        psid: visitor.psid,
        pageId,
        mid: sent.messageId,
        metadata: sent.metadata ?? undefined,
        text: sent.text ?? undefined,
      }),
    );
  };
  return {
    admin,
    connected,
    pageId,
    visitor,
    operator,
    conversation,
    deliver,
    reply,
    outbound,
    echoLastSend,
  };
}

describe('replies', () => {
  it('go out as RESPONSE inside 24 hours; the echo confirms, receipts advance them', async () => {
    const chat = await chatWithVisitor({ hoursAgo: 1 });
    const accepted = await chat.reply('  Hi! How can I help?  ');
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'pending', text: 'Hi! How can I help?' });

    const [sent] = await until(chat.outbound, ([message]) => message?.status === 'sent');
    expect(sent).toMatchObject({ id: accepted.body.id, status: 'sent' });
    const calls = api.fakeGraph.sentMessages(chat.pageId);
    expect(calls).toEqual([
      expect.objectContaining({
        recipientId: chat.visitor.psid,
        messagingType: 'RESPONSE',
        tag: null,
        text: 'Hi! How can I help?',
        metadata: accepted.body.id,
      }),
    ]);

    // Facebook echoes it (same mid, our id as metadata): no second message appears.
    await chat.echoLastSend();
    await chat.deliver(
      deliveryReceipt({ psid: chat.visitor.psid, pageId: chat.pageId, watermark: new Date() }),
    );
    const delivered = await until(chat.outbound, ([message]) => message?.status === 'delivered');
    expect(delivered).toHaveLength(1);
    await chat.deliver(
      readReceipt({ psid: chat.visitor.psid, pageId: chat.pageId, watermark: new Date() }),
    );
    expect(await until(chat.outbound, ([message]) => message?.status === 'read')).toEqual([
      expect.objectContaining({ id: accepted.body.id, status: 'read' }),
    ]);
  });

  it('go out as HUMAN_AGENT between 24 hours and 7 days where the page has the feature', async () => {
    const chat = await chatWithVisitor({ hoursAgo: 30, humanAgent: true });
    const accepted = await chat.reply('Sorry for the wait!');
    expect(accepted.status).toBe(202);
    await until(chat.outbound, ([message]) => message?.status === 'sent');
    expect(api.fakeGraph.sentMessages(chat.pageId)).toEqual([
      expect.objectContaining({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }),
    ]);
  });

  it('are refused after 24 hours without the feature, and after 7 days with it', async () => {
    const without = await chatWithVisitor({ hoursAgo: 30 });
    const refused = await without.reply('Too late?');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('REPLY_WINDOW_CLOSED');
    expect(Date.parse(refused.body.error.details.closedAt)).toBeLessThan(Date.now() - 5 * HOUR);

    const withFeature = await chatWithVisitor({ hoursAgo: 24 * 7 + 1, humanAgent: true });
    expect((await withFeature.reply('Still there?')).body.error.code).toBe('REPLY_WINDOW_CLOSED');
    expect(api.fakeGraph.sentMessages(without.pageId)).toEqual([]);
    expect(api.fakeGraph.sentMessages(withFeature.pageId)).toEqual([]);
  });

  it('only from the operator holding the chat, or an admin', async () => {
    const chat = await chatWithVisitor();
    const colleague = await createOperator(api, chat.admin.token);
    const response = await api.request(
      'POST',
      `/api/conversations/${chat.conversation.id}/messages`,
      {
        token: colleague.token,
        body: { text: 'Mine now' },
      },
    );
    expect(response.status).toBe(403);
    const byAdmin = await api.request(
      'POST',
      `/api/conversations/${chat.conversation.id}/messages`,
      {
        token: chat.admin.token,
        body: { text: 'Admin here' },
      },
    );
    expect(byAdmin.status).toBe(202);
    const empty = await chat.reply('   ');
    expect(empty.status).toBe(400);
  });
});

describe('failed sends', () => {
  it('fail at once on a dead token, marking the page for its admin', async () => {
    const chat = await chatWithVisitor();
    api.fakeGraph.revokeToken(chat.connected.accessToken);
    await chat.reply('Hello');
    const [failed] = await until(chat.outbound, ([message]) => message?.status === 'failed');
    expect(failed!.error).toMatch(/token is no longer valid/);
    const page = await api.request('GET', `/api/channels/facebook/${chat.connected.page.id}`, {
      token: chat.admin.token,
    });
    expect(page.body.status.tokenValid).toBe(false);

    // The next reply is not even tried with the dead token.
    const sendCalls = () =>
      api.fakeGraph.requests().filter((request) => request.path.endsWith('/messages')).length;
    const sendCallsBefore = sendCalls();
    await chat.reply('Hello again');
    const both = await until(chat.outbound, (messages) =>
      messages.every((message) => message.status === 'failed'),
    );
    expect(both).toHaveLength(2);
    expect(both[1]!.error).toMatch(/replace it/);
    expect(sendCalls()).toBe(sendCallsBefore);
    expect(api.fakeGraph.sentMessages(chat.pageId)).toEqual([]);
  });

  it('fail at once when the person is unavailable; a retry from the panel sends again', async () => {
    const chat = await chatWithVisitor();
    api.fakeGraph.failNext({ path: /messages$/ }, fakeGraphErrors.personUnavailable);
    const accepted = await chat.reply('Hello');
    const [failed] = await until(chat.outbound, ([message]) => message?.status === 'failed');
    expect(failed!.error).toMatch(/can't receive messages/);

    const retried = await api.request('POST', `/api/messages/${accepted.body.id}/retry`, {
      token: chat.operator.token,
    });
    expect(retried.status).toBe(202);
    await until(chat.outbound, ([message]) => message?.status === 'sent');
    expect(api.fakeGraph.sentMessages(chat.pageId)).toHaveLength(1);
  });

  it('are retried when Facebook limits the rate, and sent once', async () => {
    const chat = await chatWithVisitor();
    api.fakeGraph.failNext({ path: /messages$/ }, fakeGraphErrors.rateLimited);
    await chat.reply('Hello');
    const [sent] = await until(chat.outbound, ([message]) => message?.status === 'sent');
    expect(sent!.status).toBe('sent');
    expect(api.fakeGraph.sentMessages(chat.pageId)).toHaveLength(1);
  }, 20_000);
});

describe('exactly once', () => {
  it('sends a reply once however many workers pick it up at the same moment', async () => {
    const chat = await chatWithVisitor();
    api.fakeGraph.setLatency(100); // every call in flight long enough to overlap
    try {
      const accepted = await chat.reply('Just once');
      const senders = Array.from(
        { length: 3 },
        () =>
          new OutboundSender(
            api.orm.em.fork() as EntityManager,
            new FetchGraphClient({
              baseUrl: api.fakeGraph.url,
              version: api.config.facebookGraphVersion,
            }),
            new SecretBox(api.config.encryptionKey),
            (fileId) => `https://omni.test/files/${fileId}`,
            leaveToOutboxSweep,
          ),
      );
      // Three more workers race the test worker's own job.
      await Promise.all(senders.map((sender) => sender.send(accepted.body.id)));
      await until(chat.outbound, ([message]) => message?.status === 'sent');
      expect(api.fakeGraph.sentMessages(chat.pageId)).toHaveLength(1);
    } finally {
      api.fakeGraph.setLatency(0);
    }
  });
});

describe('each Send API refusal', () => {
  it.each([
    ['the window closed (10/2018278)', fakeGraphErrors.outsideWindow, /reply window has closed/],
    ['a missing permission (200)', fakeGraphErrors.pagesMessagingNotApproved, /permission/],
    [
      'an invalid parameter (100)',
      fakeGraphErrors.invalidParameter,
      /refused the request as invalid/,
    ],
    ['a page restriction (10/1893063)', fakeGraphErrors.pageRestricted, /restricted this page/],
  ])(
    'fails the reply at once on %s, with a reason an operator understands',
    async (_, failure, reason) => {
      const chat = await chatWithVisitor();
      api.fakeGraph.failNext({ path: /messages$/ }, failure);
      await chat.reply('Hello');
      const [failed] = await until(chat.outbound, ([message]) => message?.status === 'failed');
      expect(failed!.error).toMatch(reason);
      expect(api.fakeGraph.sentMessages(chat.pageId)).toEqual([]);
    },
  );

  it('retries a temporary failure (HTTP 500, code 2) and sends once', async () => {
    const chat = await chatWithVisitor();
    api.fakeGraph.failNext({ path: /messages$/ }, fakeGraphErrors.temporaryFailure);
    await chat.reply('Hello');
    await until(chat.outbound, ([message]) => message?.status === 'sent');
    expect(api.fakeGraph.sentMessages(chat.pageId)).toHaveLength(1);
  }, 20_000);
});

describe('replies of one conversation', () => {
  it('reach Messenger in the order they were written, though the first one had to be retried', async () => {
    const chat = await chatWithVisitor();
    api.fakeGraph.failNext({ path: /messages$/ }, fakeGraphErrors.temporaryFailure);
    await chat.reply('First');
    await chat.reply('Second');
    await until(chat.outbound, (messages) => messages.every(({ status }) => status === 'sent'));
    expect(api.fakeGraph.sentMessages(chat.pageId).map(({ text }) => text)).toEqual([
      'First',
      'Second',
    ]);
  }, 20_000);

  it('wait in their own job: the sweep finds it queued and adds none (a backlog stays a backlog)', async () => {
    const chat = await chatWithVisitor();
    // Three refusals: the first reply is retried for a few seconds (1 s, 2 s, 4 s apart).
    api.fakeGraph.failNext({ path: /messages$/ }, fakeGraphErrors.temporaryFailure, 3);
    await chat.reply('First');
    const second = await chat.reply('Second');
    const sends = new Queue('outbound-send', {
      connection: { url: api.config.redisUrl },
      prefix: api.config.redisPrefix,
    });
    try {
      // While the first is retried, the second's job (its id: the message id) is delayed,
      // not replaced by new jobs under other ids that the sweep would not recognise.
      await expect
        .poll(async () => (await sends.getJob(second.body.id))?.getState(), { timeout: 5_000 })
        .toBe('delayed');
      const jobIds = (await sends.getJobs(['waiting', 'delayed', 'active'])).map((job) => job.id);
      expect(jobIds.filter((id) => id?.startsWith(second.body.id))).toEqual([second.body.id]);
      await until(chat.outbound, (messages) => messages.every(({ status }) => status === 'sent'));
      expect(api.fakeGraph.sentMessages(chat.pageId).map(({ text }) => text)).toEqual([
        'First',
        'Second',
      ]);
    } finally {
      await sends.close();
    }
  }, 30_000);
});

describe('a send whose answer was lost', () => {
  it('is not sent again while its echo may still come, and the echo settles it', async () => {
    const chat = await chatWithVisitor();
    api.fakeGraph.failNext({ path: /messages$/ }, 'timeout-after-processing', 10);
    const accepted = await chat.reply('Hello');
    // The worker's own attempt times out after the client's limit; meanwhile drive a sender
    // with a short timeout and our own clock.
    const clock = { now: Date.now() };
    const sender = new OutboundSender(
      api.orm.em.fork() as EntityManager,
      new FetchGraphClient({
        baseUrl: api.fakeGraph.url,
        version: api.config.facebookGraphVersion,
        timeoutMs: 200,
      }),
      new SecretBox(api.config.encryptionKey),
      (fileId) => `https://omni.test/files/${fileId}`,
      leaveToOutboxSweep,
      () => new Date(clock.now),
    );
    await until(
      async () => api.fakeGraph.sentMessages(chat.pageId).length,
      (count) => count >= 1,
    );
    const first = await sender.send(accepted.body.id);
    expect(first.kind).toBe('check-later'); // the worker's call is unresolved: no new call
    expect(api.fakeGraph.sentMessages(chat.pageId)).toHaveLength(1);

    await chat.echoLastSend();
    await until(chat.outbound, ([message]) => message?.status === 'sent');
    clock.now += ECHO_WAIT_MS + 1_000;
    expect((await sender.send(accepted.body.id)).kind).toBe('done');
    expect(api.fakeGraph.sentMessages(chat.pageId)).toHaveLength(1);
  }, 30_000);

  it('is not sent with a type the window no longer allows', async () => {
    const chat = await chatWithVisitor({ hoursAgo: 23 });
    api.fakeGraph.failNext({ path: /messages$/ }, 'timeout', 10);
    const accepted = await chat.reply('Hello');
    const sender = new OutboundSender(
      api.orm.em.fork() as EntityManager,
      new FetchGraphClient({
        baseUrl: api.fakeGraph.url,
        version: api.config.facebookGraphVersion,
      }),
      new SecretBox(api.config.encryptionKey),
      (fileId) => `https://omni.test/files/${fileId}`,
      leaveToOutboxSweep,
      () => new Date(Date.now() + 2 * HOUR + ECHO_WAIT_MS),
    );
    expect((await sender.send(accepted.body.id)).kind).toBe('done');
    const [failed] = await until(chat.outbound, ([message]) => message?.status === 'failed');
    expect(failed!.error).toMatch(/reply window closed/);
  }, 30_000);
});

describe('the outbound sweep', () => {
  it('queues again a reply whose job was lost, and leaves one whose call is unresolved', async () => {
    const chat = await chatWithVisitor();
    api.fakeGraph.failNext({ path: /messages$/ }, 'timeout-after-processing', 10);
    const unresolved = await chat.reply('In flight');
    await until(
      async () => api.fakeGraph.sentMessages(chat.pageId).length,
      (count) => count >= 1,
    );
    // A reply whose job never reached Redis: stored, never claimed.
    const lost = await chat.reply('Lost');
    await api.orm.em
      .fork()
      .getConnection()
      .execute(
        `update message set created_at = now() - interval '2 minutes',
           send_started_at = case when id = ? then null else send_started_at end
         where id in (?, ?)`,
        [lost.body.id, lost.body.id, unresolved.body.id],
      );
    const queued: string[] = [];
    const sweeper = new OutboundSweeper(api.orm.em.fork() as EntityManager, {
      jobStatus: async () => 'missing',
      enqueueAgain: async (_name, payload) =>
        void queued.push((payload as { messageId: string }).messageId),
    });
    await sweeper.sweep();
    expect(queued).toContain(lost.body.id);
    expect(queued).not.toContain(unresolved.body.id);
  }, 30_000);
});

describe('sender actions', () => {
  it('"seen" clears the unread count; "typing…" is sent once per burst; both best effort', async () => {
    const chat = await chatWithVisitor({ hoursAgo: 1 });
    const path = `/api/conversations/${chat.conversation.id}`;
    expect(chat.conversation.unreadCount).toBe(1);

    const seen = await api.request('POST', `${path}/seen`, { token: chat.operator.token });
    expect(seen.status).toBe(202);
    const after = await api.request('GET', path, { token: chat.operator.token });
    expect(after.body.unreadCount).toBe(0);
    for (let keystroke = 0; keystroke < 3; keystroke++) {
      const typing = await api.request('POST', `${path}/typing`, { token: chat.operator.token });
      expect(typing.status).toBe(202);
    }
    const actions = await until(
      async () => api.fakeGraph.sentSenderActions(chat.pageId).map((sent) => sent.action),
      (sent) => sent.length >= 2,
    );
    expect(actions.sort()).toEqual(['mark_seen', 'typing_on']);
  });

  it('are skipped when the window is closed, and never an error to the operator', async () => {
    const chat = await chatWithVisitor({ hoursAgo: 30 });
    const seen = await api.request('POST', `/api/conversations/${chat.conversation.id}/seen`, {
      token: chat.operator.token,
    });
    expect(seen.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the job has run by then
    expect(api.fakeGraph.sentSenderActions(chat.pageId)).toEqual([]);
  });
});

describe('files', () => {
  /** The operator sends a file from the composer (multipart, field "file"). */
  function upload(chat: Awaited<ReturnType<typeof chatWithVisitor>>, file: Blob, name: string) {
    const form = new FormData();
    form.append('file', file, name);
    return fetch(`${api.url}/api/conversations/${chat.conversation.id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chat.operator.token}` },
      body: form,
    });
  }

  it('go to Messenger as an attachment fetched from Omni by a signed link', async () => {
    const chat = await chatWithVisitor();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const response = await upload(chat, new Blob([png], { type: 'image/png' }), 'receipt.png');
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as {
      id: string;
      kind: string;
      attachments: unknown[];
    };
    expect(accepted).toMatchObject({
      kind: 'image',
      attachments: [expect.objectContaining({ kind: 'image', title: 'receipt.png' })],
    });

    await until(chat.outbound, ([message]) => message?.status === 'sent');
    const [sent] = api.fakeGraph.sentMessages(chat.pageId);
    const attachment = sent!.message['attachment'] as { type: string; payload: { url: string } };
    expect(attachment.type).toBe('image');
    expect(sent!.metadata).toBe(accepted.id);
    const link = new URL(attachment.payload.url);
    expect(link.origin).toBe(new URL(api.config.publicUrl).origin);
    const fetched = await fetch(`${api.url}${link.pathname}${link.search}`);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(png);
  });

  it('are typed by their bytes: an SVG the browser calls an image is a file that downloads in a sandbox', async () => {
    const chat = await chatWithVisitor();
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(localStorage.token)</script></svg>';
    // The browser says PNG; the bytes say otherwise.
    const response = await upload(chat, new Blob([svg], { type: 'image/png' }), 'look.svg');
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as {
      kind: string;
      attachments: { fileUrl: string }[];
    };
    expect(accepted.kind).toBe('file');
    const served = await fetch(`${api.url}${accepted.attachments[0]!.fileUrl}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/octet-stream');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(served.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await served.text()).toBe(svg);
  });

  it('are refused without a file', async () => {
    const chat = await chatWithVisitor();
    const response = await fetch(
      `${api.url}/api/conversations/${chat.conversation.id}/attachments`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${chat.operator.token}` },
        body: new FormData(),
      },
    );
    expect(response.status).toBe(400);
  });
});
