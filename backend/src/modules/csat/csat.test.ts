import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  postDelivery,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../../testing/test-api.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import type { FakePage } from '../fake-graph/fake-graph.js';
import { delivery, entry, quickReply, textMessage } from '../../testing/messenger-fixtures.js';
import { AutoCloseSweeper } from '../routing/auto-close-sweeper.js';
import { CsatSurveysService } from './csat-surveys.service.js';
import { DEFAULT_CSAT_QUESTIONS } from './csat-survey.js';

const api = useTestApi();

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A tenant with a page, and a visitor's conversation that wrote just now (window open). */
async function setUp(settings: Record<string, unknown>) {
  const admin = await signUpTenant(api);
  const patched = await api.request('PATCH', '/api/settings', {
    token: admin.token,
    body: settings,
  });
  expect(patched.status).toBe(200);
  const connected = await connectFacebookPage(api, admin.token);
  const pageId = connected.page.pageId;
  const em = api.orm.em.fork() as EntityManager;
  const deliver = (item: Parameters<typeof entry>[1]) =>
    postDelivery(api, admin.tenant.key, delivery(entry(pageId, item)), connected.appSecret);
  const conversation = async (id: string) =>
    (await api.request('GET', `/api/conversations/${id}`, { token: admin.token })).body;
  const history = async (id: string) =>
    (await api.request('GET', `/api/conversations/${id}/messages`, { token: admin.token })).body
      .items as { source: string; text: string | null }[];
  const newVisitor = async (text = 'Hello') => {
    const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
    await deliver(textMessage({ psid: visitor.psid, pageId, text }));
    const [row] = await until(
      () =>
        em.getConnection().execute<{ id: string }[]>(
          `select c.id from conversation c join contact k on k.id = c.contact_id
           where k.psid = ? and c.tenant_id = ?`,
          [visitor.psid, admin.tenant.id],
        ),
      (rows) => rows.length > 0,
    );
    return { psid: visitor.psid, conversationId: row!.id };
  };
  const close = (id: string) =>
    api.request('POST', `/api/conversations/${id}/close`, { token: admin.token });
  const surveysTo = (psid: string) =>
    api.fakeGraph.sentMessages(pageId).filter((sent) => sent.recipientId === psid);
  return { admin, em, pageId, deliver, conversation, history, newVisitor, close, surveysTo };
}

describe('satisfaction surveys', () => {
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  beforeAll(async () => {
    worker = await startTestWorker(api);
  });
  afterAll(() => worker?.stop());

  it('are settings: off by default, a question or the default, admins change them', async () => {
    const admin = await signUpTenant(api);
    const read = await api.request('GET', '/api/settings', { token: admin.token });
    expect(read.body.csat).toEqual({ enabled: false, question: null });
    const changed = await api.request('PATCH', '/api/settings', {
      token: admin.token,
      body: { csat: { enabled: true, question: '  Rate us?  ' } },
    });
    expect(changed.body.csat).toEqual({ enabled: true, question: 'Rate us?' });
    const emptied = await api.request('PATCH', '/api/settings', {
      token: admin.token,
      body: { csat: { question: '' } },
    });
    expect(emptied.body.csat).toEqual({ enabled: true, question: null });
    const tooLong = await api.request('PATCH', '/api/settings', {
      token: admin.token,
      body: { csat: { question: 'x'.repeat(641) } },
    });
    expect(tooLong.status).toBe(400);
  });

  it('go out once after a close inside the window, as RESPONSE with quick replies 1–5; the tap is stored without reopening', async () => {
    const { em, conversation, history, newVisitor, close, surveysTo, deliver, pageId } =
      await setUp({ csat: { enabled: true }, language: 'ru' });
    const { psid, conversationId } = await newVisitor();
    expect((await close(conversationId)).status).toBe(200);

    const sent = await until(
      () => surveysTo(psid),
      (messages) => messages.length > 0,
    );
    expect(sent).toEqual([
      expect.objectContaining({
        messagingType: 'RESPONSE',
        tag: null,
        text: DEFAULT_CSAT_QUESTIONS.ru,
        message: expect.objectContaining({
          quick_replies: [1, 2, 3, 4, 5].map((score) => ({
            content_type: 'text',
            title: String(score),
            payload: `CSAT:${conversationId}:${score}`,
          })),
        }),
      }),
    ]);

    // Closing again, and the outbox entry performed again, send nothing more.
    expect((await close(conversationId)).status).toBe(200);
    const again = new CsatSurveysService(em.fork(), async () => {});
    expect(await again.request(conversationId)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(surveysTo(psid)).toHaveLength(1);
    const before = await conversation(conversationId);
    expect(before.csat).toBeNull();

    await deliver(quickReply({ psid, pageId, text: '4', payload: `CSAT:${conversationId}:4` }));
    const rated = await until(
      () => conversation(conversationId),
      (record) => record.csat !== null,
    );
    expect(rated).toMatchObject({
      status: 'closed',
      unreadCount: before.unreadCount, // nothing for an operator to read
      csat: { score: 4, answeredAt: expect.any(String) },
    });
    expect((await history(conversationId)).map((message) => message.source)).toEqual([
      'visitor',
      'automatic',
      'visitor',
    ]);
    const [queuedAgain] = await em
      .getConnection()
      .execute<{ count: string }[]>(
        `select count(*) from conversation_event where conversation_id = ? and type = 'queued'`,
        [conversationId],
      );
    expect(Number(queuedAgain!.count)).toBe(1); // only when the chat began

    // A second tap does not change the rating; it is kept as a message and reopens the chat.
    await deliver(quickReply({ psid, pageId, text: '1', payload: `CSAT:${conversationId}:1` }));
    const reopened = await until(
      () => conversation(conversationId),
      (record) => record.status !== 'closed',
    );
    expect(reopened).toMatchObject({ status: 'queued', csat: { score: 4 } });
  }, 60_000);

  it('are not sent outside the window, nor when turned off', async () => {
    const outside = await setUp({ csat: { enabled: true } });
    const late = await outside.newVisitor();
    await outside.em
      .getConnection()
      .execute(`update contact set last_inbound_at = now() - interval '25 hours' where psid = ?`, [
        late.psid,
      ]);
    expect((await outside.close(late.conversationId)).status).toBe(200);

    const off = await setUp({});
    const unasked = await off.newVisitor();
    expect((await off.close(unasked.conversationId)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(outside.surveysTo(late.psid)).toEqual([]);
    expect(off.surveysTo(unasked.psid)).toEqual([]);
    expect((await outside.history(late.conversationId)).map((m) => m.source)).toEqual(['visitor']);
    expect((await off.history(unasked.conversationId)).map((m) => m.source)).toEqual(['visitor']);
  }, 60_000);

  it("ignore a rating naming another conversation: kept as the visitor's message, with a diagnostic", async () => {
    const { em, conversation, newVisitor, close, surveysTo, deliver, pageId } = await setUp({
      csat: { enabled: true },
    });
    const first = await newVisitor();
    const second = await newVisitor();
    await close(first.conversationId);
    await close(second.conversationId);
    await until(
      () => surveysTo(second.psid),
      (messages) => messages.length > 0,
    );

    // The second visitor sends a rating of the first one's conversation.
    await deliver(
      quickReply({
        psid: second.psid,
        pageId,
        text: '1',
        payload: `CSAT:${first.conversationId}:1`,
      }),
    );
    const reopened = await until(
      () => conversation(second.conversationId),
      (record) => record.status !== 'closed',
    );
    expect(reopened).toMatchObject({ status: 'queued', csat: null });
    expect((await conversation(first.conversationId)).csat).toBeNull();
    const [diagnosed] = await em.getConnection().execute<{ diagnostics: { reason?: string }[] }[]>(
      `select diagnostics from webhook_event
         where diagnostics @> '[{"reason": "csat_answer_for_another_conversation"}]'::jsonb`,
    );
    expect(diagnosed).toBeDefined();
  }, 60_000);

  it('go out after an automatic close for inactivity too (the sweep writes the entry)', async () => {
    const { admin, em, conversation, newVisitor, surveysTo } = await setUp({
      csat: { enabled: true },
      autoCloseAfterMinutes: 60,
    });
    const { psid, conversationId } = await newVisitor();
    // Held by the admin for two hours, the visitor silent for three: still inside the window.
    await em.getConnection().execute(
      `update conversation set status = 'assigned', operator_id = ?,
         assigned_at = now() - interval '2 hours', queued_at = null where id = ?`,
      [admin.user.id, conversationId],
    );
    await em.getConnection().execute(
      `update message set occurred_at = now() - interval '3 hours',
         created_at = now() - interval '3 hours' where conversation_id = ?`,
      [conversationId],
    );
    await em
      .getConnection()
      .execute(`update contact set last_inbound_at = now() - interval '3 hours' where psid = ?`, [
        psid,
      ]);
    // Its entries are left to the worker's outbox sweep, as after a crash right after the commit.
    expect(await new AutoCloseSweeper(em.fork(), async () => {}).sweep()).toBeGreaterThan(0);
    expect((await conversation(conversationId)).status).toBe('closed');
    const sent = await until(
      () => surveysTo(psid),
      (messages) => messages.length > 0,
    );
    expect(sent).toEqual([
      expect.objectContaining({ messagingType: 'RESPONSE', text: DEFAULT_CSAT_QUESTIONS.en }),
    ]);
  }, 60_000);
});
