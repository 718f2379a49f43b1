import { describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  createOperator,
  postDelivery,
  signUpTenant,
  useTestApi,
  useTestWorker,
} from '../../testing/test-api.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import {
  delivery,
  entry,
  standbyEntry,
  textMessage,
  type MessagingItem,
} from '../../testing/messenger-fixtures.js';
import { until } from '../../testing/until.js';
import type { FakePage } from '../fake-graph/fake-graph.js';

const api = useTestApi();
useTestWorker(api);

/** The page's primary receiver: a bot's app, which the tests play through the fake Graph. */
const BOT_APP_ID = '2000000000000002';

type ConversationView = {
  id: string;
  status: string;
  operatorId: string | null;
  threadControl: string | null;
};

/**
 * A page where Omni is secondary receiver beside a bot that controls the visitor's thread,
 * and an operator online to take what Omni is given.
 */
async function pageWithBot(options: { handover?: boolean } = {}) {
  const admin = await signUpTenant(api);
  const connected = await connectFacebookPage(api, admin.token);
  const pageId = connected.page.pageId;
  const patched = await api.request('PATCH', `/api/channels/facebook/${connected.page.id}`, {
    token: admin.token,
    body: { handover: { enabled: options.handover ?? true } },
  });
  expect(patched.status).toBe(200);
  const omniAppId = patched.body.appId as string;
  api.fakeGraph.setPrimaryApp(pageId, BOT_APP_ID);
  const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
  api.fakeGraph.setThreadOwner(pageId, visitor.psid, BOT_APP_ID);
  const operator = await createOperator(api, admin.token);
  await api.request('PUT', '/api/me/status', { token: operator.token, body: { status: 'online' } });

  const post = (body: unknown) => postDelivery(api, admin.tenant.key, body, connected.appSecret);
  const conversations = async (): Promise<ConversationView[]> =>
    (await api.request('GET', '/api/conversations', { token: admin.token })).body.items;
  const settledDeliveries = () =>
    until(
      async () =>
        (
          await api.request('GET', `/api/channels/facebook/${connected.page.id}/deliveries`, {
            token: admin.token,
          })
        ).body.items as { status: string }[],
      (items) => items.length > 0 && items.every((item) => item.status === 'processed'),
    );
  return {
    admin,
    connected,
    pageId,
    omniAppId,
    visitor,
    operator,
    conversations,
    settledDeliveries,
    /** A message the bot is handling: it comes in `standby[]`. */
    standbyMessage: (text: string) =>
      post(delivery(standbyEntry(pageId, textMessage({ psid: visitor.psid, pageId, text })))),
    deliver: (...items: MessagingItem[]) => post(delivery(entry(pageId, ...items))),
    /** The bot passes the thread to Omni; Facebook tells Omni's webhook. */
    botPassesToOmni: async () => {
      const event = api.fakeGraph.passThreadAsApp({
        pageId,
        psid: visitor.psid,
        from: BOT_APP_ID,
        to: omniAppId,
        metadata: 'needs a human',
      });
      expect(event?.deliverTo).toBe(omniAppId);
      await post(delivery(entry(pageId, event!.item as MessagingItem)));
    },
  };
}

/** The Graph calls made about the visitor's thread, on `path` (a RegExp), oldest first. */
function callsAbout(psid: string, path: RegExp) {
  return api.fakeGraph
    .requests()
    .filter(
      (request) =>
        path.test(request.path) &&
        (request.body as { recipient?: { id?: string } } | undefined)?.recipient?.id === psid,
    );
}

const HANDOVER_CALLS = /^\/me\/(pass|take|request)_thread_control$/;

describe('the handover protocol, Omni as secondary receiver', () => {
  it('subscribes the page to messaging_handovers and standby as well', async () => {
    const page = await pageWithBot();
    expect(api.fakeGraph.subscribedFields(page.pageId)).toEqual(
      expect.arrayContaining(['messages', 'messaging_handovers', 'standby']),
    );
    expect(page.omniAppId).toMatch(/^\d+$/);
  });

  it('records a standby message without queueing it; the bot passing the thread queues it for an operator, who replies; closing passes it back', async () => {
    const page = await pageWithBot();
    await page.standbyMessage('I want to talk to a human');
    await page.settledDeliveries();
    const [recorded] = await page.conversations();
    expect(recorded).toMatchObject({ status: 'closed', threadControl: 'other_app' });
    const history = await api.request('GET', `/api/conversations/${recorded!.id}/messages`, {
      token: page.admin.token,
    });
    expect(history.body.items.map((message: { text: string }) => message.text)).toEqual([
      'I want to talk to a human',
    ]);

    await page.botPassesToOmni();
    const assigned = await until(
      async () => (await page.conversations())[0],
      (conversation) => conversation?.status === 'assigned',
    );
    expect(assigned).toMatchObject({
      id: recorded!.id,
      operatorId: page.operator.user.id,
      threadControl: 'omni',
    });
    const events = await api.request('GET', `/api/conversations/${assigned!.id}/events`, {
      token: page.admin.token,
    });
    expect(events.body.items.map((event: { reason: string }) => event.reason)).toContain(
      'thread_passed',
    );

    const reply = await api.request('POST', `/api/conversations/${assigned!.id}/messages`, {
      token: page.operator.token,
      body: { text: 'Hello, a human here' },
    });
    expect(reply.status).toBe(202);
    await until(
      async () => api.fakeGraph.sentMessages(page.pageId),
      (sent) => sent.length === 1,
    );

    // A business asking for surveys: none follows a close that hands the thread back to the bot.
    const surveys = await api.request('PATCH', '/api/settings', {
      token: page.admin.token,
      body: { csat: { enabled: true } },
    });
    expect(surveys.status).toBe(200);
    const closed = await api.request('POST', `/api/conversations/${assigned!.id}/close`, {
      token: page.operator.token,
    });
    expect(closed.status).toBe(200);
    const [pass] = await until(
      async () => callsAbout(page.visitor.psid, HANDOVER_CALLS),
      (calls) => calls.length === 1,
    );
    expect(pass).toMatchObject({ method: 'POST', path: '/me/pass_thread_control' });
    expect(pass!.body).toEqual({
      recipient: { id: page.visitor.psid },
      target_app_id: BOT_APP_ID,
      metadata: 'Omni: the conversation was closed',
    });
    expect(api.fakeGraph.threadOwner(page.pageId, page.visitor.psid)).toBe(BOT_APP_ID);
    await until(
      async () => (await page.conversations())[0],
      (conversation) => conversation?.threadControl === 'other_app',
    );
    // The close's follow-ups (the pass, the survey's turn) are performed once none is left.
    await until(
      async () =>
        api.orm.em
          .getConnection()
          .execute<{ count: number }[]>(
            'select count(*)::int as count from outbox_entry where tenant_id = ?',
            [page.admin.tenant.id],
          ),
      ([row]) => row?.count === 0,
    );
    const after = await api.request('GET', `/api/conversations/${assigned!.id}/messages`, {
      token: page.admin.token,
    });
    expect(after.body.items.map((message: { source: string }) => message.source)).toEqual([
      'visitor',
      'operator',
    ]);
  });

  it('a reply while the bot holds the thread fails with the reason at once (2018300, no retry); the operator can request control', async () => {
    const page = await pageWithBot();
    await page.standbyMessage('help');
    await page.settledDeliveries();
    await page.botPassesToOmni();
    const assigned = await until(
      async () => (await page.conversations())[0],
      (conversation) => conversation?.status === 'assigned',
    );
    // The bot takes the thread back (as the primary may); Facebook tells Omni.
    api.fakeGraph.setThreadOwner(page.pageId, page.visitor.psid, BOT_APP_ID);
    await page.deliver({
      sender: { id: page.visitor.psid },
      recipient: { id: page.pageId },
      timestamp: Date.now(),
      take_thread_control: {
        previous_owner_app_id: page.omniAppId,
        new_owner_app_id: BOT_APP_ID,
        metadata: 'bot again',
      },
    } as MessagingItem);
    await until(
      async () => (await page.conversations())[0],
      (conversation) => conversation?.threadControl === 'other_app',
    );

    const reply = await api.request('POST', `/api/conversations/${assigned!.id}/messages`, {
      token: page.operator.token,
      body: { text: 'Are you there?' },
    });
    expect(reply.status).toBe(202);
    const failed = await until(
      async () =>
        (
          await api.request('GET', `/api/conversations/${assigned!.id}/messages`, {
            token: page.operator.token,
          })
        ).body.items.find((message: { id: string }) => message.id === reply.body.id),
      (message) => message?.status === 'failed',
    );
    expect(failed.error).toBe(
      'Another app controls this conversation, so Omni cannot reply until control is passed back.',
    );
    expect(callsAbout(page.visitor.psid, /^\/me\/messages$/)).toHaveLength(1);
    expect(api.fakeGraph.sentMessages(page.pageId)).toEqual([]);

    // The bot is primary and holds the thread: taking is refused, so Omni asks for it.
    const requested = await api.request(
      'POST',
      `/api/conversations/${assigned!.id}/thread-control/request`,
      { token: page.operator.token },
    );
    expect(requested).toMatchObject({ status: 200, body: { outcome: 'requested' } });
    const calls = callsAbout(page.visitor.psid, HANDOVER_CALLS);
    expect(calls.map((call) => call.path)).toEqual([
      '/me/take_thread_control',
      '/me/request_thread_control',
    ]);
    expect(calls[1]!.body).toEqual({
      recipient: { id: page.visitor.psid },
      metadata: 'Omni: an operator wants to answer this visitor',
    });
    expect(api.fakeGraph.handoverEvents(BOT_APP_ID).at(-1)!.item).toMatchObject({
      sender: { id: page.visitor.psid },
      recipient: { id: page.pageId },
      request_thread_control: {
        requested_owner_app_id: page.omniAppId,
        metadata: 'Omni: an operator wants to answer this visitor',
      },
    });
  });

  it('takes an idle thread at once', async () => {
    const page = await pageWithBot();
    await page.botPassesToOmni();
    const assigned = await until(
      async () => (await page.conversations())[0],
      (conversation) => conversation?.status === 'assigned',
    );
    // The bot passed it to the Page Inbox (Omni hears nothing), then the thread went idle.
    await page.standbyMessage('still there?');
    await until(
      async () => (await page.conversations())[0],
      (conversation) => conversation?.threadControl === 'other_app',
    );
    api.fakeGraph.setThreadOwner(page.pageId, page.visitor.psid, null);
    const taken = await api.request(
      'POST',
      `/api/conversations/${assigned!.id}/thread-control/request`,
      { token: page.operator.token },
    );
    expect(taken).toMatchObject({ status: 200, body: { outcome: 'taken' } });
    expect(api.fakeGraph.threadOwner(page.pageId, page.visitor.psid)).toBe(page.omniAppId);
    expect((await page.conversations())[0]).toMatchObject({ threadControl: 'omni' });
  });

  it('without the opt-in, standby messages queue as before and threadControl stays null', async () => {
    const page = await pageWithBot({ handover: false });
    await page.standbyMessage('hello');
    const assigned = await until(
      async () => (await page.conversations())[0],
      (conversation) => conversation?.status === 'assigned',
    );
    expect(assigned).toMatchObject({ threadControl: null });
    expect(api.fakeGraph.subscribedFields(page.pageId)).not.toContain('standby');
  });
});
