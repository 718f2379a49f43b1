import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  createDepartment,
  createOperator,
  postDelivery,
  signUpTenant,
  startTestWorker,
  useTestApi,
  type SignedIn,
} from '../../testing/test-api.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import { delivery, entry, quickReply, textMessage } from '../../testing/messenger-fixtures.js';
import { until } from '../../testing/until.js';
import type { FakePage } from '../fake-graph/fake-graph.js';
import { fakeGraphErrors } from '../fake-graph/fake-graph-errors.js';

const api = useTestApi();
const PROMPT = 'Who would you like to talk to?';
const SLOW = 20_000;

type Conversation = {
  id: string;
  status: string;
  departmentId: string | null;
  operatorId: string | null;
};

/**
 * A tenant with Sales, Support and Billing, a page whose own department is Support, and the
 * page's menu offering all three (unless `menu` says otherwise).
 */
async function setUp(menu: { enabled?: boolean } = {}) {
  const admin = await signUpTenant(api);
  const [sales, support, billing] = await Promise.all(
    ['Sales', 'Support', 'Billing'].map((name) => createDepartment(api, admin.token, name)),
  );
  const connected = await connectFacebookPage(api, admin.token, { departmentId: support!.id });
  const pageId = connected.page.pageId;
  const patched = await api.request('PATCH', `/api/channels/facebook/${connected.page.id}`, {
    token: admin.token,
    body: {
      departmentMenu: {
        enabled: menu.enabled ?? true,
        prompt: PROMPT,
        options: [
          { title: 'Sales', departmentId: sales!.id },
          { title: 'Support', departmentId: support!.id },
          { title: 'Billing', departmentId: billing!.id },
        ],
      },
    },
  });
  expect(patched.status).toBe(200);
  const em = api.orm.em.fork() as EntityManager;
  const deliver = (item: Parameters<typeof entry>[1]) =>
    postDelivery(api, admin.tenant.key, delivery(entry(pageId, item)), connected.appSecret);
  const conversation = async (id: string) =>
    (await api.request('GET', `/api/conversations/${id}`, { token: admin.token }))
      .body as Conversation;
  const sentTo = (psid: string) =>
    api.fakeGraph.sentMessages(pageId).filter((sent) => sent.recipientId === psid);
  const queueEvents = (id: string) =>
    em
      .fork()
      .getConnection()
      .execute<{ reason: string; department_id: string | null }[]>(
        `select reason, department_id from conversation_event
         where conversation_id = ? and type = 'queued' order by occurred_at`,
        [id],
      );
  /** A visitor Omni never saw writes; returns them and their conversation. */
  const newVisitor = async (text = 'Hello') => {
    const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
    await deliver(textMessage({ psid: visitor.psid, pageId, text }));
    const [row] = await until(
      () =>
        em
          .fork()
          .getConnection()
          .execute<{ id: string }[]>(
            `select c.id from conversation c join contact k on k.id = c.contact_id
             where k.psid = ? and c.tenant_id = ?`,
            [visitor.psid, admin.tenant.id],
          ),
      (rows) => rows.length > 0,
      SLOW,
    );
    return { psid: visitor.psid, conversationId: row!.id };
  };
  return {
    admin,
    pageRowId: connected.page.id,
    pageId,
    departments: { sales: sales!, support: support!, billing: billing! },
    deliver,
    conversation,
    sentTo,
    queueEvents,
    newVisitor,
  };
}

async function goOnline(operator: SignedIn): Promise<void> {
  const response = await api.request('PUT', '/api/me/status', {
    token: operator.token,
    body: { status: 'online' },
  });
  expect(response.status).toBe(200);
}

describe('department menu in Messenger', () => {
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  beforeAll(async () => {
    worker = await startTestWorker(api);
  });
  afterAll(() => worker?.stop());

  it('greets a new visitor with the quick replies; choosing Billing queues the chat to Billing and its operator gets it', async () => {
    const scene = await setUp();
    const { billing } = scene.departments;
    const billingOperator = await createOperator(api, scene.admin.token, {
      departmentIds: [billing.id],
    });
    await goOnline(billingOperator);

    const { psid, conversationId } = await scene.newVisitor();
    const [menu] = await until(
      () => scene.sentTo(psid),
      (sent) => sent.length > 0,
      SLOW,
    );
    // Exactly the Send API's shape: RESPONSE, a text and text quick replies.
    expect(menu).toMatchObject({
      messagingType: 'RESPONSE',
      tag: null,
      text: PROMPT,
      message: {
        text: PROMPT,
        quick_replies: ['Sales', 'Support', 'Billing'].map((title) => ({
          content_type: 'text',
          title,
          payload: `DEPARTMENT:${conversationId}:${
            scene.departments[title.toLowerCase() as keyof typeof scene.departments].id
          }`,
        })),
      },
    });
    // Held out of the queue while the visitor chooses: the online operator does not get it.
    expect(await scene.conversation(conversationId)).toMatchObject({
      status: 'choosing_department',
      operatorId: null,
    });
    expect(await scene.queueEvents(conversationId)).toEqual([]);

    await scene.deliver(
      quickReply({
        psid,
        pageId: scene.pageId,
        text: 'Billing',
        payload: `DEPARTMENT:${conversationId}:${billing.id}`,
      }),
    );
    const assigned = await until(
      () => scene.conversation(conversationId),
      (record) => record.status === 'assigned',
      SLOW,
    );
    expect(assigned).toMatchObject({
      departmentId: billing.id,
      operatorId: billingOperator.user.id,
    });
    expect(await scene.queueEvents(conversationId)).toEqual([
      { reason: 'department_chosen', department_id: billing.id },
    ]);
    // The visitor's messages stay for the operator, with the menu between them.
    const history = await api.request('GET', `/api/conversations/${conversationId}/messages`, {
      token: billingOperator.token,
    });
    expect(
      (history.body.items as { source: string; text: string }[]).map((m) => [m.source, m.text]),
    ).toEqual([
      ['visitor', 'Hello'],
      ['automatic', PROMPT],
      ['visitor', 'Billing'],
    ]);
    expect(scene.sentTo(psid)).toHaveLength(1);
  }, 60_000);

  it('reminds a visitor who types instead once, then queues them to the page’s department', async () => {
    const scene = await setUp();
    const { psid, conversationId } = await scene.newVisitor();
    await until(
      () => scene.sentTo(psid),
      (sent) => sent.length === 1,
      SLOW,
    );

    await scene.deliver(textMessage({ psid, pageId: scene.pageId, text: 'I have a question' }));
    const [, reminder] = await until(
      () => scene.sentTo(psid),
      (sent) => sent.length === 2,
      SLOW,
    );
    expect(reminder).toMatchObject({
      messagingType: 'RESPONSE',
      text: PROMPT,
      message: {
        quick_replies: expect.arrayContaining([expect.objectContaining({ title: 'Billing' })]),
      },
    });
    expect((await scene.conversation(conversationId)).status).toBe('choosing_department');

    await scene.deliver(textMessage({ psid, pageId: scene.pageId, text: 'Just help me' }));
    const queued = await until(
      () => scene.conversation(conversationId),
      (record) => record.status !== 'choosing_department',
      SLOW,
    );
    expect(queued).toMatchObject({ status: 'queued', departmentId: scene.departments.support.id });
    expect(await scene.queueEvents(conversationId)).toEqual([
      { reason: 'department_menu_skipped', department_id: scene.departments.support.id },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(scene.sentTo(psid)).toHaveLength(2); // no third message
  }, 60_000);

  it('takes a tap naming another conversation, or a department no longer on the menu, as typing', async () => {
    const scene = await setUp();
    const first = await scene.newVisitor();
    const second = await scene.newVisitor();
    await until(
      () => scene.sentTo(second.psid),
      (sent) => sent.length === 1,
      SLOW,
    );
    // The second visitor sends a choice made for the first one's conversation.
    await scene.deliver(
      quickReply({
        psid: second.psid,
        pageId: scene.pageId,
        text: 'Billing',
        payload: `DEPARTMENT:${first.conversationId}:${scene.departments.billing.id}`,
      }),
    );
    await until(
      () => scene.sentTo(second.psid),
      (sent) => sent.length === 2, // the reminder
      SLOW,
    );
    expect((await scene.conversation(second.conversationId)).status).toBe('choosing_department');

    // Billing leaves the menu; the first visitor's tap on it no longer chooses.
    const patched = await api.request('PATCH', `/api/channels/facebook/${scene.pageRowId}`, {
      token: scene.admin.token,
      body: {
        departmentMenu: {
          options: [{ title: 'Sales', departmentId: scene.departments.sales.id }],
        },
      },
    });
    expect(patched.status).toBe(200);
    await scene.deliver(
      quickReply({
        psid: first.psid,
        pageId: scene.pageId,
        text: 'Billing',
        payload: `DEPARTMENT:${first.conversationId}:${scene.departments.billing.id}`,
      }),
    );
    const [, reminder] = await until(
      () => scene.sentTo(first.psid),
      (sent) => sent.length === 2,
      SLOW,
    );
    expect(reminder!.message).toMatchObject({
      quick_replies: [expect.objectContaining({ title: 'Sales' })],
    });
    expect((await scene.conversation(first.conversationId)).status).toBe('choosing_department');
  }, 60_000);

  it('leaves a page without the menu as it was: the chat queues at once, nothing is sent', async () => {
    const scene = await setUp({ enabled: false });
    const { psid, conversationId } = await scene.newVisitor();
    const record = await until(
      () => scene.conversation(conversationId),
      (value) => value.status === 'queued',
      SLOW,
    );
    expect(record).toMatchObject({ status: 'queued', departmentId: scene.departments.support.id });
    expect(await scene.queueEvents(conversationId)).toEqual([
      { reason: 'new_conversation', department_id: scene.departments.support.id },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(scene.sentTo(psid)).toEqual([]);
  }, 60_000);

  it('queues the chat to the page’s department when the menu cannot be sent', async () => {
    const scene = await setUp();
    api.fakeGraph.failNext({ path: /messages$/ }, fakeGraphErrors.personUnavailable);
    const { conversationId } = await scene.newVisitor();
    const record = await until(
      () => scene.conversation(conversationId),
      (value) => value.status === 'queued',
      SLOW,
    );
    expect(record).toMatchObject({ departmentId: scene.departments.support.id });
    expect(await scene.queueEvents(conversationId)).toEqual([
      { reason: 'department_menu_skipped', department_id: scene.departments.support.id },
    ]);
  }, 60_000);
});

describe('department menu settings', () => {
  it('are part of the page: shown, validated against Messenger’s limits and the tenant’s departments, audited', async () => {
    const admin = await signUpTenant(api);
    const billing = await createDepartment(api, admin.token, 'Billing');
    const { page } = await connectFacebookPage(api, admin.token);
    expect(page.departmentMenu).toEqual({ enabled: false, prompt: null, options: [] });
    const patch = (departmentMenu: unknown) =>
      api.request('PATCH', `/api/channels/facebook/${page.id}`, {
        token: admin.token,
        body: { departmentMenu },
      });
    const option = (title: string) => ({ title, departmentId: billing.id });

    const cases: [unknown, string, string][] = [
      [
        { options: Array.from({ length: 14 }, (_, i) => option(`Option ${i}`)) },
        'DEPARTMENT_MENU_TOO_MANY_OPTIONS',
        'departmentMenu.options',
      ],
      [
        { options: [option('x'.repeat(21))] },
        'DEPARTMENT_MENU_TITLE_LENGTH',
        'departmentMenu.options.0.title',
      ],
      [
        { options: [option('  ')] },
        'DEPARTMENT_MENU_TITLE_LENGTH',
        'departmentMenu.options.0.title',
      ],
      [
        { options: [option('Billing'), option('billing')] },
        'DEPARTMENT_MENU_DUPLICATE_TITLE',
        'departmentMenu.options.1.title',
      ],
      [{ prompt: 'x'.repeat(641) }, 'DEPARTMENT_MENU_PROMPT_TOO_LONG', 'departmentMenu.prompt'],
      [
        { enabled: true, options: [option('Billing')] },
        'DEPARTMENT_MENU_INCOMPLETE',
        'departmentMenu.prompt',
      ],
      [{ enabled: true, prompt: 'Who?' }, 'DEPARTMENT_MENU_INCOMPLETE', 'departmentMenu.options'],
    ];
    for (const [body, code, field] of cases) {
      const refused = await patch(body);
      expect(refused.status, code).toBe(400);
      expect(refused.body.error.code).toBe(code);
      expect(refused.body.error.details.fields).toHaveProperty([field]);
    }

    // Another tenant's department is no department of this one.
    const other = await signUpTenant(api);
    const foreign = await createDepartment(api, other.token, 'Foreign');
    const crossTenant = await patch({
      enabled: true,
      prompt: 'Who?',
      options: [option('Billing'), { title: 'Foreign', departmentId: foreign.id }],
    });
    expect(crossTenant.status).toBe(400);
    expect(crossTenant.body.error).toMatchObject({
      code: 'DEPARTMENT_MENU_UNKNOWN_DEPARTMENT',
      details: { fields: { 'departmentMenu.options.1.departmentId': expect.any(String) } },
    });

    const saved = await patch({
      enabled: true,
      prompt: '  Who would you like to talk to?  ',
      options: [option('Billing'), { title: ' Money ', departmentId: billing.id }],
    });
    expect(saved.status).toBe(200);
    const menu = {
      enabled: true,
      prompt: 'Who would you like to talk to?',
      options: [option('Billing'), option('Money')],
    };
    expect(saved.body.departmentMenu).toEqual(menu);
    const read = await api.request('GET', `/api/channels/facebook/${page.id}`, {
      token: admin.token,
    });
    expect(read.body.departmentMenu).toEqual(menu);

    const audit = await api.request('GET', '/api/audit-log?action=page.updated', {
      token: admin.token,
    });
    expect(audit.body.items[0].changes).toMatchObject({
      departmentMenuEnabled: { from: false, to: true },
      departmentMenuPrompt: { from: null, to: 'Who would you like to talk to?' },
      departmentMenuOptions: { from: null, to: ['Billing → Billing', 'Money → Billing'] },
    });

    // A deleted department takes its options with it.
    expect(
      (await api.request('DELETE', `/api/departments/${billing.id}`, { token: admin.token }))
        .status,
    ).toBe(204);
    const after = await api.request('GET', `/api/channels/facebook/${page.id}`, {
      token: admin.token,
    });
    expect(after.body.departmentMenu.options).toEqual([]);
  }, 60_000);
});
