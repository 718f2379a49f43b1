import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  createDepartment,
  postDelivery,
  seedConversation,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../../testing/test-api.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import type { FakePage } from '../fake-graph/fake-graph.js';
import { delivery, entry, textMessage } from '../../testing/messenger-fixtures.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { ConversationEvent } from '../conversations/conversation-event.entity.js';
import { QUEUE_NOTICE_DELAY_MS, QueueNoticesService } from './queue-notices.service.js';
import { QueueScene } from '../../testing/routing-fixtures.js';

const api = useTestApi();
/** Notices these tests store are sent and shown by a worker's outbox sweep, if at all. */
const leaveToOutboxSweep = async () => {};

async function setUp(settings: Record<string, unknown>) {
  const admin = await signUpTenant(api);
  await api.request('PATCH', '/api/tenant', { token: admin.token, body: settings });
  const department = await createDepartment(api, admin.token);
  const connected = await connectFacebookPage(api, admin.token, { departmentId: department.id });
  const em = api.orm.em.fork() as EntityManager;
  const scene = new QueueScene(em, admin.tenant.id, connected.page.id);
  const waiting = async (count: number) => {
    const ids = await scene.addWaiting(count, department.id, Date.now() - 60_000);
    // The visitors wrote a minute ago: inside the window.
    await em.getConnection().execute(
      `update contact set last_inbound_at = now() - interval '1 minute'
         where id in (select contact_id from conversation where id in (?))`,
      [ids],
    );
    return ids;
  };
  return {
    admin,
    department,
    connected,
    scene,
    waiting,
    notices: new QueueNoticesService(em, leaveToOutboxSweep),
  };
}

describe('queue notices', () => {
  it("tell a waiting visitor their place and the expected wait, once, in the tenant's language", async () => {
    const { department, scene, waiting, notices } = await setUp({
      queueNoticeEnabled: true,
      language: 'ru',
    });
    await scene.addOperators(1, { maxChats: 0, departmentIds: [department.id] }); // online, full
    const [, second] = await waiting(2);

    const notice = await notices.prepare(second!);
    expect(notice).toMatchObject({ source: 'automatic', direction: 'out', status: 'pending' });
    expect(notice!.text).toBe(
      'Спасибо за сообщение! Ваш номер в очереди: 2. Примерное время ожидания — около 5 мин.',
    );
    expect(await notices.prepare(second!)).toBeNull();
  });

  it('say that the team is offline when nobody of the department is online', async () => {
    const { waiting, notices } = await setUp({ offlineNoticeEnabled: true, language: 'bn' });
    const [chat] = await waiting(1);
    expect((await notices.prepare(chat!))!.text).toBe(
      'আপনার বার্তার জন্য ধন্যবাদ! আমাদের দল এখন অফলাইনে আছে; ফিরে এসেই আমরা উত্তর দেব।',
    );
  });

  it('are off by default', async () => {
    const { waiting, notices } = await setUp({});
    const [chat] = await waiting(1);
    expect(await notices.prepare(chat!)).toBeNull();
  });
});

describe('queue notices end to end', () => {
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  beforeAll(async () => {
    worker = await startTestWorker(api);
  });
  afterAll(() => worker?.stop());

  it('reach the visitor through the Send API as RESPONSE and show in the history as automatic', async () => {
    const { admin, connected } = await setUp({ offlineNoticeEnabled: true });
    const pageId = connected.page.pageId;
    const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
    await postDelivery(
      api,
      admin.tenant.key,
      delivery(entry(pageId, textMessage({ psid: visitor.psid, pageId, text: 'Anyone there?' }))),
      connected.appSecret,
    );
    const deadline = Date.now() + 15_000;
    while (api.fakeGraph.sentMessages(pageId).length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api.fakeGraph.sentMessages(pageId)).toEqual([
      expect.objectContaining({
        recipientId: visitor.psid,
        messagingType: 'RESPONSE',
        tag: null,
        text: expect.stringContaining('offline'),
      }),
    ]);
    const [conversation] = (await api.request('GET', '/api/conversations', { token: admin.token }))
      .body.items;
    const history = await api.request('GET', `/api/conversations/${conversation.id}/messages`, {
      token: admin.token,
    });
    expect(history.body.items.map((message: { source: string }) => message.source)).toEqual([
      'visitor',
      'automatic',
    ]);
  }, 30_000);
});

describe('away message of a department closed by its business hours', () => {
  const awayMessage = 'We are closed now; we answer from 9:00 Moscow time.';

  async function closedDepartmentChat(lastInboundMinutesAgo: number) {
    const { admin, department, connected } = await setUp({});
    await api.request('PUT', `/api/departments/${department.id}/hours`, {
      token: admin.token,
      body: { timezone: 'Europe/Moscow', weekly: [], holidays: [], awayMessage },
    });
    const conversation = await seedConversation(api, connected.page.id);
    const em = api.orm.em.fork() as EntityManager;
    const queued = await em.findOneOrFail(Conversation, conversation.id, { filters: false });
    await em
      .persist(
        new ConversationEvent(
          queued.tenant,
          queued,
          'queued',
          'new_conversation',
          queued.queuedAt!,
        ),
      )
      .flush();
    await em
      .getConnection()
      .execute(
        `update contact set last_inbound_at = now() - make_interval(mins => ?) where id = ?`,
        [lastInboundMinutesAgo, conversation.contact.id],
      );
    return {
      conversationId: conversation.id,
      notices: new QueueNoticesService(em, leaveToOutboxSweep),
    };
  }

  it('is stored once per episode, even with the tenant notices off', async () => {
    const { conversationId, notices } = await closedDepartmentChat(1);
    const notice = await notices.prepare(conversationId);
    expect(notice).toMatchObject({ source: 'automatic', status: 'pending', text: awayMessage });
    expect(await notices.prepare(conversationId)).toBeNull();
  });

  it('is never sent outside the 24-hour window', async () => {
    const { conversationId, notices } = await closedDepartmentChat(25 * 60);
    expect(await notices.prepare(conversationId)).toBeNull();
  });
});

describe('away message end to end', () => {
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  beforeAll(async () => {
    worker = await startTestWorker(api);
  });
  afterAll(() => worker?.stop());

  it('reaches the visitor exactly once through the Send API as RESPONSE', async () => {
    const { admin, department, connected } = await setUp({});
    const awayMessage = 'Closed for the holidays; back on 2 January.';
    await api.request('PUT', `/api/departments/${department.id}/hours`, {
      token: admin.token,
      body: { timezone: 'Asia/Dhaka', weekly: [], holidays: [], awayMessage },
    });
    const pageId = connected.page.pageId;
    const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
    const write = (text: string) =>
      postDelivery(
        api,
        admin.tenant.key,
        delivery(entry(pageId, textMessage({ psid: visitor.psid, pageId, text }))),
        connected.appSecret,
      );
    await write('Hello?');
    const deadline = Date.now() + 15_000;
    while (api.fakeGraph.sentMessages(pageId).length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    await write('Anyone?');
    // The second message joins the same episode: no second away message, whatever the delay.
    await new Promise((resolve) => setTimeout(resolve, QUEUE_NOTICE_DELAY_MS + 2_000));

    expect(api.fakeGraph.sentMessages(pageId)).toEqual([
      expect.objectContaining({
        recipientId: visitor.psid,
        messagingType: 'RESPONSE',
        tag: null,
        text: awayMessage,
      }),
    ]);
    const [conversation] = (await api.request('GET', '/api/conversations', { token: admin.token }))
      .body.items;
    expect(conversation.status).toBe('queued'); // it still waits in the queue
    const history = await api.request('GET', `/api/conversations/${conversation.id}/messages`, {
      token: admin.token,
    });
    expect(history.body.items.map((message: { source: string }) => message.source)).toEqual([
      'visitor',
      'automatic',
      'visitor',
    ]);
  }, 40_000);
});
