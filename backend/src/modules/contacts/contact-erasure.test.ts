import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  connectFacebookPage,
  connectPageOfSameApp,
  createOperator,
  postDelivery,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../../testing/test-api.js';
import { queryDatabase, tablesHolding as tablesHoldingIn } from '../../testing/database-traces.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import {
  attachment,
  attachmentMessage,
  delivery,
  entry,
  newMid,
  textMessage,
} from '../../testing/messenger-fixtures.js';
import type { FakePage } from '../fake-graph/fake-graph.js';

/** Its own database: every table is searched for the visitor's traces. */
// Webhook subscriptions to a loopback address that never answers: deliveries wait as rows.
const api = useTestApi({ ALLOW_PRIVATE_WEBHOOK_URLS: 'true' }, { ownDatabase: true });
let worker: { stop: () => Promise<void> };
beforeAll(async () => {
  worker = await startTestWorker(api);
});
afterAll(() => worker?.stop());

const unique = (label: string) => `${label}${randomBytes(6).toString('hex')}`;

const sql = <Row = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  queryDatabase<Row>(api, text, params);
const tablesHolding = (needle: string) => tablesHoldingIn(api, needle);

/** The tenant's realtime replay log in Redis (what a reconnecting panel is sent), as text. */
async function realtimeLogOf(tenantId: string): Promise<string> {
  const redis = new Redis(inject('redisUrl'));
  try {
    const stream = `${api.config.redisPrefix}:realtime:${tenantId}:log`;
    return JSON.stringify(await redis.xrange(stream, '-', '+'));
  } finally {
    redis.disconnect();
  }
}

const settled = (condition: string, params: unknown[] = []) =>
  expect
    .poll(
      async () =>
        (
          await sql<{ done: boolean }>(
            `select not exists (select 1 from webhook_event where status = 'pending')
               and (${condition}) as done`,
            params,
          )
        )[0]!.done,
      { timeout: 15_000 },
    )
    .toBe(true);

describe('erasing a visitor (DELETE /api/contacts/:id)', () => {
  it('removes their messages, notes, files, name, photo and PSID everywhere; the statistics still count the conversation', async () => {
    const admin = await signUpTenant(api);
    const connected = await connectFacebookPage(api, admin.token);
    const otherPage = await connectPageOfSameApp(api, admin.token, connected);
    // What Omni tells another system about the visitor is erased with them.
    const subscribed = await api.request('POST', '/api/webhook-subscriptions', {
      token: admin.token,
      body: { url: 'http://127.0.0.1:9/omni', events: ['message.created'] },
    });
    expect(subscribed.status).toBe(201);
    const pageId = connected.page.pageId;
    const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage, {
      firstName: unique('Erased'),
      lastName: unique('Person'),
      profilePic: `https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=${unique('pic')}`,
    });
    const neighbour = registerRandomUser(api.fakeGraph, { pageId } as FakePage, {
      firstName: unique('Kept'),
    });
    const texts = { first: unique('hello'), shared: unique('shared'), note: unique('note') };
    const neighbourText = unique('neighbour');
    const otherPageText = unique('otherpage');
    const fileName = `${unique('photo')}.png`;
    api.fakeGraph.publishCdnFile(fileName, {
      content: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
      contentType: 'image/png',
    });
    const post = async (body: unknown) =>
      expect((await postDelivery(api, admin.tenant.key, body, connected.appSecret)).status).toBe(
        200,
      );
    const say = (psid: string, text: string) => textMessage({ pageId, psid, text });

    await post(delivery(entry(pageId, say(visitor.psid, texts.first))));
    await post(
      delivery(
        entry(
          pageId,
          attachmentMessage({
            pageId,
            psid: visitor.psid,
            mid: newMid(),
            attachments: [attachment('image', { url: api.fakeGraph.cdnUrl(fileName) })],
          }),
        ),
      ),
    );
    // Facebook batches: one delivery with the visitor's, a neighbour's and another page's events.
    await post(
      delivery(
        entry(pageId, say(visitor.psid, texts.shared), say(neighbour.psid, neighbourText)),
        entry(
          otherPage.page.pageId,
          textMessage({ pageId: otherPage.page.pageId, psid: neighbour.psid, text: otherPageText }),
        ),
      ),
    );
    await settled(
      `(select count(*) from contact where first_name = ?) = 1
         and (select count(*) from stored_file where tenant_id = ?) = 1
         and (select count(*) from outbound_webhook_delivery where tenant_id = ?) = 5`,
      [visitor.firstName, admin.tenant.id, admin.tenant.id],
    );
    const [{ id: contactId, conversation_id: conversationId }] = (await sql<{
      id: string;
      conversation_id: string;
    }>(
      `select ct.id, c.id as conversation_id from contact ct
       join conversation c on c.contact_id = ct.id where ct.psid = ?`,
      [visitor.psid],
    )) as [{ id: string; conversation_id: string }];
    const [{ storage_key: storageKey }] = (await sql<{ storage_key: string }>(
      'select storage_key from stored_file where tenant_id = ?',
      [admin.tenant.id],
    )) as [{ storage_key: string }];
    expect(existsSync(join(api.config.storageDir, storageKey))).toBe(true);

    // The admin steers it to themselves (an audit entry named after the visitor) and notes.
    // Away: working, but the dispatcher gives them nothing by itself.
    await api.request('PUT', '/api/me/status', { token: admin.token, body: { status: 'away' } });
    const steered = await api.request('POST', `/api/conversations/${conversationId}/assign`, {
      token: admin.token,
      body: { operatorId: admin.user.id, force: true },
    });
    expect(steered.status).toBe(200);
    const noted = await api.request('POST', `/api/conversations/${conversationId}/notes`, {
      token: admin.token,
      body: { text: texts.note },
    });
    expect(noted.status).toBe(201);

    const period = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const statsBefore = await api.request('GET', `/api/queue/stats?${period}`, {
      token: admin.token,
    });
    expect(statsBefore.body.entered).toBeGreaterThanOrEqual(2);
    const traces = [
      visitor.firstName!,
      visitor.lastName!,
      visitor.psid,
      visitor.profilePic!.split('psid=')[1]!,
      fileName,
      ...Object.values(texts),
    ];
    for (const trace of traces) expect(await tablesHolding(trace), trace).not.toEqual([]);
    const replayedBefore = await realtimeLogOf(admin.tenant.id);
    for (const trace of [visitor.firstName!, texts.first, texts.note])
      expect(replayedBefore, trace).toContain(trace);

    // Only admins; another tenant's admin does not find the visitor.
    const operator = await createOperator(api, admin.token);
    const refused = await api.request('DELETE', `/api/contacts/${contactId}`, {
      token: operator.token,
    });
    expect(refused.status).toBe(403);
    const stranger = await signUpTenant(api);
    const hidden = await api.request('DELETE', `/api/contacts/${contactId}`, {
      token: stranger.token,
    });
    expect(hidden.status).toBe(404);

    const erased = await api.request('DELETE', `/api/contacts/${contactId}`, {
      token: admin.token,
    });
    expect(erased.status).toBe(204);

    for (const trace of traces) expect(await tablesHolding(trace), trace).toEqual([]);
    const replayedAfter = await realtimeLogOf(admin.tenant.id);
    for (const trace of traces) expect(replayedAfter, trace).not.toContain(trace);
    expect(replayedAfter).toContain(neighbourText);
    await expect
      .poll(() => existsSync(join(api.config.storageDir, storageKey)), { timeout: 5_000 })
      .toBe(false);
    // The neighbour's and the other page's events of the shared delivery stay.
    for (const text of [neighbourText, otherPageText]) {
      expect((await tablesHolding(text)).sort()).toEqual([
        'message',
        'outbound_webhook_delivery',
        'webhook_event',
      ]);
    }
    expect(await tablesHolding(neighbour.firstName!)).toEqual(['contact']);

    // The conversation is an anonymous, closed stub without messages; the figures count it.
    const stub = await api.request('GET', `/api/conversations/${conversationId}`, {
      token: admin.token,
    });
    expect(stub.status).toBe(200);
    expect(stub.body).toMatchObject({
      status: 'closed',
      lastMessage: null,
      contact: { erased: true, psid: '', firstName: null, lastName: null, avatarUrl: null },
    });
    expect(stub.body.contact.id).not.toBe(contactId);
    const history = await api.request('GET', `/api/conversations/${conversationId}/messages`, {
      token: admin.token,
    });
    expect(history.body.items).toEqual([]);
    const statsAfter = await api.request('GET', `/api/queue/stats?${period}`, {
      token: admin.token,
    });
    expect(statsAfter.body.entered).toBe(statsBefore.body.entered);
    expect(statsAfter.body.assigned).toBe(statsBefore.body.assigned);
    expect(
      (await api.request('GET', `/api/contacts/${contactId}`, { token: admin.token })).status,
    ).toBe(404);

    const audit = await api.request('GET', '/api/audit-log?action=contact.erased', {
      token: admin.token,
    });
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'contact.erased',
        actor: { id: admin.user.id, name: 'Admin' },
        target: { type: 'contact', id: contactId, name: null },
        changes: { messages: { from: 4, to: 0 }, files: { from: 1, to: 0 } },
      }),
    ]);

    // Writing again, the same person is a new visitor in a new conversation.
    const again = unique('again');
    await post(delivery(entry(pageId, say(visitor.psid, again))));
    await settled(`(select count(*) from contact where first_name = ?) = 1`, [visitor.firstName]);
    const [fresh] = await sql<{ id: string; conversation_id: string }>(
      `select ct.id, c.id as conversation_id from contact ct
       join conversation c on c.contact_id = ct.id where ct.psid = ?`,
      [visitor.psid],
    );
    expect(fresh!.id).not.toBe(contactId);
    expect(fresh!.conversation_id).not.toBe(conversationId);
    // Every table is searched for each trace twice: slow on a busy machine.
  }, 120_000);
});
