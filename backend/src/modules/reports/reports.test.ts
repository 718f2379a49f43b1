import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createLogger } from '../../logger.js';
import { createRoutingWithHooks, QueueScene } from '../../testing/routing-fixtures.js';
import {
  connectFacebookPage,
  createDepartment,
  createOperator,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';

const api = useTestApi();

/** A tenant with a department, a page routed to it, and the queue written directly. */
async function setUp() {
  const admin = await signUpTenant(api);
  const department = await createDepartment(api, admin.token);
  const { page } = await connectFacebookPage(api, admin.token, { departmentId: department.id });
  const queue = new QueueScene(api.orm.em.fork() as EntityManager, admin.tenant.id, page.id);
  return { admin, department, page, queue };
}

/** Routing whose clock the test sets. */
function routingAt(clock: { now: number }) {
  return createRoutingWithHooks(
    api.orm.em.fork() as EntityManager,
    {
      wakeDispatcher: async () => {},
      conversationsChanged: async () => {},
      scheduleFirstResponseCheck: async () => {},
    },
    createLogger(api.config),
    () => new Date(clock.now),
  );
}

async function addVisitorMessage(conversationId: string, at: Date, kind = 'text') {
  await api.orm.em.getConnection().execute(
    `insert into message (id, tenant_id, conversation_id, page_id, direction, source, kind, text,
       dedup_key, occurred_at)
     select ?, tenant_id, id, page_id, 'in', 'visitor', ?, 'Hello', ?, ? from conversation
     where id = ?`,
    [uuidv7(), kind, uuidv7(), at, conversationId],
  );
}

const report = (token: string, query: string) =>
  api.request('GET', `/api/reports?${query}`, { token });

describe('the reports', () => {
  it("count each conversation's figures from its log, as the queue statistics judge them", async () => {
    const { admin, department, queue } = await setUp();
    const start = Date.now() - 3_600_000;
    const clock = { now: start };
    const at = (seconds: number) => (clock.now = start + seconds * 1000);
    const routing = routingAt(clock);
    const [first, second] = await queue.addOperators(2, {
      maxChats: 1,
      departmentIds: [department.id],
    });
    // Queued at 0, 1, 2 and 3 s, each by a visitor's message.
    const [chat1, chat2, chat3, chat4] = await queue.addWaiting(4, department.id, start);
    for (const [index, chat] of [chat1, chat2, chat3, chat4].entries())
      await addVisitorMessage(chat!, new Date(start + index * 1000));
    at(10);
    await routing.dispatch(queue.tenantId); // chat1 → first after 10 s, chat2 → second after 9 s
    await queue.addOperatorReply(chat1!, new Date(start + 30_000)); // chat1 answered after 30 s
    at(50);
    await routing.close(first!, chat1!); // handled from 10 s to 50 s
    await routing.dispatch(queue.tenantId); // chat3 → first after 48 s
    at(60);
    await routing.close({ userId: admin.user.id, tenantId: queue.tenantId, role: 'admin' }, chat4!);
    // One that has just started waiting: too early to judge, so in no share.
    const [chat5] = await queue.addWaiting(1, department.id, Date.now() - 2_000);
    await addVisitorMessage(chat5!, new Date(Date.now() - 2_000));
    // chat2 was never answered: its visitor's window closed 24 h after their message. Here
    // that message is dated two days back, so the window is over now.
    await addVisitorMessage(chat2!, new Date(start - 2 * 86_400_000), 'text');
    await api.orm.em.getConnection().execute(
      `update report_episode set last_visitor_at = ?, unanswered_since = ?
       where conversation_id = ?`,
      [new Date(start - 2 * 86_400_000), new Date(start - 2 * 86_400_000), chat2],
    );
    // chat1's visitor rated it 4 after the close; chat4 was asked and did not answer.
    await api.orm.em.getConnection().execute(
      `update conversation set csat_requested_at = ?, csat_score = 4, csat_answered_at = ?
       where id = ?`,
      [new Date(start + 51_000), new Date(start + 80_000), chat1],
    );
    await api.orm.em
      .getConnection()
      .execute(`update conversation set csat_requested_at = ? where id = ?`, [
        new Date(start + 61_000),
        chat4,
      ]);

    const period = `from=${new Date(start - 1000).toISOString()}&to=${new Date().toISOString()}`;
    const byOperator = await report(admin.token, `${period}&groupBy=operator`);
    expect(byOperator.status, JSON.stringify(byOperator.body)).toBe(200);
    const totals = {
      conversations: 5,
      // chat1 and chat2 in time, chat3 late, chat4 waited 57 s before it was closed.
      assignedWithin20s: 0.5,
      // chat1 in time; chat2 and chat3 never answered; chat4 closed before 60 s: not judged.
      answeredWithin60s: 0.333,
      avgWaitSeconds: 22.3, // (10 + 9 + 48) / 3
      avgFirstResponseSeconds: 30,
      avgHandlingSeconds: 40,
      closedWhileWaiting: 1,
      windowExpiredUnanswered: 1,
      csatAverage: 4,
      csatResponses: 1,
      csatResponseRate: 0.5,
    };
    expect(byOperator.body.totals).toEqual(totals);
    // The same period's queue statistics agree.
    const stats = await api.request('GET', `/api/queue/stats?${period}`, { token: admin.token });
    expect(stats.body).toMatchObject({
      assignedWithinTarget: totals.assignedWithin20s,
      answeredWithinTarget: totals.answeredWithin60s,
      averageWaitSeconds: totals.avgWaitSeconds,
      averageSpeedOfAnswerSeconds: totals.avgFirstResponseSeconds,
      closedWhileWaiting: totals.closedWhileWaiting,
    });

    const rowOf = (key: string | null) =>
      byOperator.body.rows.find((row: { key: string | null }) => row.key === key);
    expect(byOperator.body.rows).toHaveLength(3);
    expect(rowOf(first!.userId)).toMatchObject({
      conversations: 2, // chat1 and chat3
      assignedWithin20s: 0.5,
      answeredWithin60s: 0.5,
      avgWaitSeconds: 29,
      avgHandlingSeconds: 40,
      csatAverage: 4,
      csatResponses: 1,
      csatResponseRate: 1,
    });
    expect(rowOf(second!.userId)).toMatchObject({
      conversations: 1,
      assignedWithin20s: 1,
      answeredWithin60s: 0,
      windowExpiredUnanswered: 1,
      avgHandlingSeconds: null,
    });
    expect(rowOf(null)).toMatchObject({
      label: 'No operator',
      conversations: 2, // chat4 (closed while waiting) and chat5
      closedWhileWaiting: 1,
      assignedWithin20s: 0,
      csatResponseRate: 0,
    });

    const byDepartment = await report(admin.token, `${period}&groupBy=department`);
    expect(byDepartment.body.rows).toMatchObject([
      { key: department.id, label: department.name, conversations: 5 },
    ]);
    const ofOperator = await report(admin.token, `${period}&operatorId=${second!.userId}`);
    expect(ofOperator.body.totals.conversations).toBe(1);
  });

  it("puts each conversation on its day in the tenant's time zone", async () => {
    const { admin, department, queue } = await setUp();
    // 23:30 UTC on 30 November is 02:30 on 1 December in Moscow.
    await queue.addWaiting(1, department.id, Date.parse('2026-11-30T23:30:00Z'));
    await queue.addWaiting(1, department.id, Date.parse('2026-11-30T20:00:00Z'));
    const period = 'from=2026-11-29T21:00:00Z&to=2026-12-01T21:00:00Z&groupBy=day';
    const inUtc = await report(admin.token, period);
    expect(inUtc.body.timezone).toBe('UTC');
    expect(
      inUtc.body.rows.map((row: { key: string; conversations: number }) => [
        row.key,
        row.conversations,
      ]),
    ).toEqual([
      ['2026-11-29', 0],
      ['2026-11-30', 2],
      ['2026-12-01', 0],
    ]);

    const settings = await api.request('PATCH', '/api/settings', {
      token: admin.token,
      body: { timezone: 'Europe/Moscow' },
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const inMoscow = await report(admin.token, period);
    expect(inMoscow.body.timezone).toBe('Europe/Moscow');
    expect(
      inMoscow.body.rows.map((row: { key: string; label: string; conversations: number }) => [
        row.label,
        row.conversations,
      ]),
    ).toEqual([
      ['2026-11-30', 1],
      ['2026-12-01', 1],
    ]);
    // Kathmandu is 5:45 ahead: its midnight is 18:15 UTC, inside no 15-minute bucket's middle.
    await queue.addWaiting(1, department.id, Date.parse('2026-11-30T18:10:00Z'));
    await queue.addWaiting(1, department.id, Date.parse('2026-11-30T18:20:00Z'));
    await api.request('PATCH', '/api/settings', {
      token: admin.token,
      body: { timezone: 'Asia/Kathmandu' },
    });
    const inKathmandu = await report(admin.token, period);
    expect(
      inKathmandu.body.rows.map((row: { key: string; conversations: number }) => [
        row.key,
        row.conversations,
      ]),
    ).toEqual([
      ['2026-11-30', 1], // 18:10 UTC, 23:55 there
      ['2026-12-01', 3], // 18:20 UTC (00:05 there), 20:00 and 23:30 UTC
      ['2026-12-02', 0],
    ]);
    const badZone = await api.request('PATCH', '/api/settings', {
      token: admin.token,
      body: { timezone: 'Mars/Olympus' },
    });
    expect(badZone.status).toBe(400);
  });

  it("filter by department and page, stay within the tenant and within a supervisor's departments", async () => {
    const { admin, department, page, queue } = await setUp();
    const other = await createDepartment(api, admin.token);
    const start = Date.now() - 600_000;
    await queue.addWaiting(2, department.id, start);
    await queue.addWaiting(1, other.id, start);
    const period = `from=${new Date(start - 1000).toISOString()}&to=${new Date().toISOString()}`;
    const count = async (token: string, filter = '') =>
      (await report(token, `${period}${filter}`)).body.totals?.conversations;
    expect(await count(admin.token)).toBe(3);
    expect(await count(admin.token, `&departmentId=${department.id}`)).toBe(2);
    expect(await count(admin.token, `&pageId=${page.id}`)).toBe(3);
    const { page: otherPage } = await connectFacebookPage(api, admin.token, {});
    expect(await count(admin.token, `&pageId=${otherPage.id}`)).toBe(0);

    const supervisor = await createOperator(api, admin.token, {
      role: 'supervisor',
      departmentIds: [other.id],
    });
    expect(await count(supervisor.token)).toBe(1);
    const refused = await report(supervisor.token, `${period}&departmentId=${department.id}`);
    expect(refused.status).toBe(400);
    const operator = await createOperator(api, admin.token, { departmentIds: [department.id] });
    expect((await report(operator.token, period)).status).toBe(403);

    const stranger = await signUpTenant(api, 'Other Co');
    expect(await count(stranger.token)).toBe(0);
    expect(await count(stranger.token, `&departmentId=${department.id}`)).toBe(0);
  });

  it('give the same rows and totals as CSV', async () => {
    const { admin, department, queue } = await setUp();
    const start = Date.now() - 600_000;
    await queue.addWaiting(3, department.id, start);
    const query = `from=${new Date(start - 1000).toISOString()}&to=${new Date().toISOString()}&groupBy=department`;
    const json = await report(admin.token, query);
    const csv = await api.request('GET', `/api/reports.csv?${query}`, { token: admin.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (csv.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'key,label,conversations,assignedWithin20s,answeredWithin60s,avgWaitSeconds,avgFirstResponseSeconds,avgHandlingSeconds,closedWhileWaiting,windowExpiredUnanswered,csatAverage,csatResponses,csatResponseRate',
    );
    // Waiting 10 minutes unassigned and unanswered: both shares are judged, and 0.
    const row = json.body.rows[0];
    expect(row).toMatchObject({ conversations: 3, assignedWithin20s: 0, answeredWithin60s: 0 });
    expect(lines[1]).toBe([row.key, row.label, 3, 0, 0, '', '', '', 0, 0, '', 0, ''].join(','));
    expect(lines[2]).toBe(['', 'Total', 3, 0, 0, '', '', '', 0, 0, '', 0, ''].join(','));
    expect(lines).toHaveLength(3);
  });

  it('refuse a period backwards or too long, and an unknown grouping', async () => {
    const { admin } = await setUp();
    const backwards = await report(
      admin.token,
      'from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z',
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.code).toBe('INVALID_PERIOD');
    const tooLong = await report(admin.token, 'from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('PERIOD_TOO_LONG');
    const unknown = await report(
      admin.token,
      'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&groupBy=week',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('VALIDATION_FAILED');
  });
});
