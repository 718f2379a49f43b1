import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  connectSocket,
  createDepartment,
  createOperator,
  postDelivery,
  signUpTenant,
  useTestApi,
  useTestWorker,
  type SignedIn,
} from '../../testing/test-api.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import { delivery, entry, textMessage } from '../../testing/messenger-fixtures.js';
import { useTestSmtpServer } from '../../testing/test-smtp-server.js';
import { until } from '../../testing/until.js';
import type { FakePage } from '../fake-graph/fake-graph.js';
import { fakeGraphErrors } from '../fake-graph/fake-graph-errors.js';
import { PAGE_HEALTH_SPREAD_MS, PageHealthSweep } from './page-health-sweep.js';
import type { PageHealthDto } from './page-health.schemas.js';

// Mails go through a real SMTP server, sent by the worker from 'mail-send' jobs.
const smtp = useTestSmtpServer();
const api = useTestApi(smtp.environment);
useTestWorker(api);

const sockets: Socket[] = [];
afterAll(() => sockets.forEach((socket) => socket.disconnect()));

/** Every `page.updated` a panel receives from now on. */
function pageUpdates(panel: Socket): PageHealthDto[] {
  const received: PageHealthDto[] = [];
  panel.on('page.updated', (page: PageHealthDto) => received.push(page));
  return received;
}

/** Long enough for an event or a mail that should not come to have come. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

/**
 * A tenant with two admins, a page in department A, an operator of A and one of B, each
 * with a panel open; and another tenant's admin with a panel open.
 */
async function setUp() {
  const admin = await signUpTenant(api, 'Health Co');
  const secondAdmin = await createOperator(api, admin.token, { role: 'admin', name: 'Second' });
  const departmentA = await createDepartment(api, admin.token);
  const departmentB = await createDepartment(api, admin.token);
  const operatorA = await createOperator(api, admin.token, { departmentIds: [departmentA.id] });
  const operatorB = await createOperator(api, admin.token, { departmentIds: [departmentB.id] });
  const connected = await connectFacebookPage(api, admin.token, {
    name: 'Sales page',
    departmentId: departmentA.id,
  });
  const stranger = await signUpTenant(api, 'Other Co');
  const panels = {
    operatorA: pageUpdates(await connectSocket(api, operatorA.token, sockets)),
    operatorB: pageUpdates(await connectSocket(api, operatorB.token, sockets)),
    admin: pageUpdates(await connectSocket(api, admin.token, sockets)),
    stranger: pageUpdates(await connectSocket(api, stranger.token, sockets)),
  };
  const check = () =>
    api.request('POST', `/api/channels/facebook/${connected.page.id}/check`, {
      token: admin.token,
    });
  const health = async (user: SignedIn) =>
    (await api.request('GET', '/api/page-health', { token: user.token })).body
      .items as PageHealthDto[];
  return {
    admin,
    secondAdmin,
    operatorA,
    operatorB,
    stranger,
    connected,
    panels,
    check,
    health,
  };
}

async function incidentCount(pageRecordId: string): Promise<number> {
  const [row] = await api.orm.em
    .getConnection()
    .execute<{ count: number }[]>(
      'select count(*)::int as count from page_incident where page_id = ?',
      [pageRecordId],
    );
  return row!.count;
}

describe('page health', () => {
  it('a connected page starts healthy, with the app its token belongs to', async () => {
    const { connected, operatorA, operatorB, health } = await setUp();
    expect(connected.page['appId']).toEqual(expect.any(String));
    expect(connected.page['status']).toMatchObject({
      tokenValid: true,
      missingPermissions: [],
      healthCheckedAt: expect.any(String),
    });
    expect(await health(operatorA)).toEqual([
      expect.objectContaining({ id: connected.page.id, healthy: true, incident: null }),
    ]);
    // Operator B works another department: not their page.
    expect(await health(operatorB)).toEqual([]);
  });

  it("a dead token reaches the page's operators at once and each admin by one mail", async () => {
    const { admin, secondAdmin, connected, panels, check, health, operatorA, stranger } =
      await setUp();
    api.fakeGraph.revokeToken(connected.accessToken, 'expired');

    // Two probes at once (the daily one and an admin's, say): one incident.
    const [first, second] = await Promise.all([check(), check()]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.body.status).toMatchObject({ tokenValid: false });

    const [update] = await until(
      () => panels.operatorA,
      (updates) => updates.length > 0,
    );
    expect(update).toMatchObject({
      id: connected.page.id,
      name: 'Sales page',
      healthy: false,
      tokenValid: false,
      incident: { kind: 'token_invalid', id: expect.any(String) },
    });
    await until(
      () => panels.admin,
      (updates) => updates.length > 0,
    );
    const mail = await smtp.mailTo(admin.user.email);
    expect(mail?.subject).toBe('The page "Sales page" can no longer receive or send messages');
    expect(mail?.text).toContain('Facebook no longer accepts the access token');
    expect(mail?.text).toContain('http://localhost:5001/admin/pages');
    expect(await smtp.mailTo(secondAdmin.user.email)).toBeDefined();
    expect((await health(operatorA))[0]).toMatchObject({ healthy: false });

    // Probing again finds the same outage: no new incident, no second mail.
    expect((await check()).status).toBe(200);
    await settle();
    expect(smtp.mailsTo(admin.user.email)).toHaveLength(1);
    expect(smtp.mailsTo(secondAdmin.user.email)).toHaveLength(1);
    expect(await incidentCount(connected.page.id)).toBe(1);
    // Neither another department's operator nor another tenant heard of it.
    expect(panels.operatorB).toEqual([]);
    expect(panels.stranger).toEqual([]);
    expect(await health(stranger)).toEqual([]);
    expect(smtp.mailsTo(operatorA.user.email)).toEqual([]);

    // It recovers: the banner goes, live.
    api.fakeGraph.restoreToken(connected.accessToken);
    const recovered = await check();
    expect(recovered.body.status.tokenValid).toBe(true);
    const afterRecovery = await until(
      () => panels.operatorA,
      (updates) => updates.at(-1)?.healthy === true,
    );
    expect(afterRecovery.at(-1)).toMatchObject({ healthy: true, incident: null });

    // …and dies again: a new incident, a new mail.
    api.fakeGraph.revokeToken(connected.accessToken);
    await check();
    expect(await smtp.mailTo(admin.user.email, 2)).toBeDefined();
    const again = await until(
      () => panels.operatorA,
      (updates) => updates.at(-1)?.healthy === false,
    );
    expect(again.at(-1)?.incident?.id).not.toBe(update!.incident?.id);
    expect(await incidentCount(connected.page.id)).toBe(2);
  }, 30_000);

  it('names the permission a token lacks, on the page, the banner and the mail', async () => {
    const { admin, connected, panels, check } = await setUp();
    api.fakeGraph.setScopes(connected.page.pageId, [
      'pages_manage_metadata',
      'pages_read_engagement',
      'pages_show_list',
    ]);
    const checked = await check();
    expect(checked.body.status).toMatchObject({
      tokenValid: true,
      missingPermissions: ['pages_messaging'],
    });
    const [update] = await until(
      () => panels.operatorA,
      (updates) => updates.length > 0,
    );
    expect(update).toMatchObject({
      healthy: false,
      missingPermissions: ['pages_messaging'],
      incident: { kind: 'permissions_missing' },
    });
    const mail = await smtp.mailTo(admin.user.email);
    expect(mail?.subject).toBe('The page "Sales page" lacks permissions it needs');
    expect(mail?.text).toContain('pages_messaging');
  });

  it('a send refused with 190 opens the incident as the probe would, in Russian for a Russian tenant', async () => {
    const admin = await signUpTenant(api, 'Send Co');
    await api.request('PATCH', '/api/tenant', { token: admin.token, body: { language: 'ru' } });
    const connected = await connectFacebookPage(api, admin.token, { name: 'Витрина' });
    const pageId = connected.page.pageId;
    const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
    const operator = await createOperator(api, admin.token);
    // A page without a department: every operator of the tenant works its chats.
    const operatorPanel = pageUpdates(await connectSocket(api, operator.token, sockets));
    await api.request('PUT', '/api/me/status', {
      token: operator.token,
      body: { status: 'online' },
    });
    await postDelivery(
      api,
      admin.tenant.key,
      delivery(entry(pageId, textMessage({ psid: visitor.psid, pageId, text: 'Hello?' }))),
      connected.appSecret,
    );
    const conversation = await until(
      async () =>
        (await api.request('GET', '/api/conversations', { token: operator.token })).body.items[0],
      (found) => found?.status === 'assigned',
    );
    api.fakeGraph.revokeToken(connected.accessToken);
    const replied = await api.request('POST', `/api/conversations/${conversation.id}/messages`, {
      token: operator.token,
      body: { text: 'Hi' },
    });
    expect(replied.status).toBe(202);

    const [update] = await until(
      () => operatorPanel,
      (updates) => updates.length > 0,
    );
    expect(update).toMatchObject({
      id: connected.page.id,
      tokenValid: false,
      incident: { kind: 'token_invalid' },
    });
    const mail = await smtp.mailTo(admin.user.email);
    expect(mail?.subject).toBe(
      'Страница «Витрина» больше не может получать и отправлять сообщения',
    );
    expect(await incidentCount(connected.page.id)).toBe(1);
  }, 30_000);

  it('does not take a refused app token (app id and secret) for a dead page token', async () => {
    const { admin, connected, check, panels } = await setUp();
    api.fakeGraph.failNext({ path: '/debug_token' }, fakeGraphErrors.invalidToken);
    const checked = await check();
    expect(checked.body.status).toMatchObject({
      tokenValid: true,
      lastError: expect.stringContaining('app token'),
    });
    await settle();
    expect(panels.operatorA).toEqual([]);
    expect(smtp.mailsTo(admin.user.email)).toEqual([]);
    expect(await incidentCount(connected.page.id)).toBe(0);
  });

  it('plans one probe per active page a day, spread over an hour, under ids that repeat within the day', async () => {
    const { connected } = await setUp();
    const noon = new Date('2026-12-03T12:00:00Z');
    const sweep = new PageHealthSweep(api.orm.em, () => noon);
    const plan = await sweep.plan();
    const mine = plan.find((check) => check.payload.pageId === connected.page.id);
    expect(mine?.jobId).toMatch(new RegExp(`^page-health-${connected.page.id}-\\d+$`));
    expect(new Set(plan.map((check) => check.delay)).size).toBe(plan.length);
    expect(plan.every((check) => check.delay >= 0 && check.delay < PAGE_HEALTH_SPREAD_MS)).toBe(
      true,
    );
    // Run again the same day (another worker, a restart): the same ids, so nothing twice.
    const again = await new PageHealthSweep(
      api.orm.em,
      () => new Date('2026-12-03T18:00:00Z'),
    ).plan();
    expect(again.map((check) => check.jobId)).toEqual(plan.map((check) => check.jobId));
    const tomorrow = await new PageHealthSweep(
      api.orm.em,
      () => new Date('2026-12-04T12:00:00Z'),
    ).plan();
    expect(tomorrow.find((check) => check.payload.pageId === connected.page.id)?.jobId).not.toBe(
      mine?.jobId,
    );
  });
});
