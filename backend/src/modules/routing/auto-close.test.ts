import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { hoursAgo, writeChat, type ChatLine } from '../../testing/chat-fixtures.js';
import { routingFollowUpsThroughOutbox } from '../../testing/routing-fixtures.js';
import {
  connectFacebookPage,
  createOperator,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';
import { AutoCloseSweeper } from './auto-close-sweeper.js';

const api = useTestApi();

/** A tenant with automatic close after `minutes` (null: off), a page and an operator. */
async function setUp(minutes: number | null) {
  const admin = await signUpTenant(api);
  const { page } = await connectFacebookPage(api, admin.token, { departmentId: null });
  const operator = await createOperator(api, admin.token);
  const settings = await api.request('PATCH', '/api/settings', {
    token: admin.token,
    body: { autoCloseAfterMinutes: minutes },
  });
  expect(settings.status).toBe(200);
  const writeHeld = (lines: ChatLine[], assignedAt = hoursAgo(3)) =>
    writeChat(api.orm.em.fork() as EntityManager, {
      tenantId: admin.tenant.id,
      pageRecordId: page.id,
      status: 'assigned',
      operatorId: operator.user.id,
      assignedAt,
      lines,
    });
  const status = async (id: string) =>
    (await api.request('GET', `/api/conversations/${id}`, { token: admin.token })).body.status;
  return { admin, operator, writeHeld, status };
}

/** The sweep with its committed changes followed as the servers do, recorded here. */
function createSweeper() {
  const changed: string[] = [];
  const woken: string[] = [];
  const em = api.orm.em.fork() as EntityManager;
  const sweeper = new AutoCloseSweeper(
    em,
    routingFollowUpsThroughOutbox(
      em,
      {
        wakeDispatcher: async (tenantId) => void woken.push(tenantId),
        conversationsChanged: async (_tenantId, ids) => void changed.push(...ids),
        scheduleFirstResponseCheck: async () => {},
      },
      createLogger(api.config),
    ),
  );
  return { sweeper, changed, woken };
}

describe('automatic close', () => {
  it('closes held chats whose visitor was silent that long, logs and announces each', async () => {
    const { admin, operator, writeHeld, status } = await setUp(60);
    const silent = await writeHeld([
      { direction: 'in', at: hoursAgo(3) },
      { direction: 'out', at: hoursAgo(2) }, // the operator's own message is no visitor message
    ]);
    const visitorWroteRecently = await writeHeld([
      { direction: 'in', at: hoursAgo(3) },
      { direction: 'in', at: hoursAgo(0.5) },
    ]);
    // Delivered late: the platform's time is old, but Omni got it a minute ago.
    const deliveredLate = await writeHeld([
      { direction: 'in', at: hoursAgo(2), receivedAt: hoursAgo(1 / 60) },
    ]);
    // Just taken after an old silence: the silence counts from the assignment.
    const justTaken = await writeHeld([{ direction: 'in', at: hoursAgo(3) }], hoursAgo(0.2));
    const { sweeper, changed, woken } = createSweeper();

    expect(await sweeper.sweep()).toBe(1);

    expect(await status(silent)).toBe('closed');
    for (const open of [visitorWroteRecently, deliveredLate, justTaken])
      expect(await status(open)).toBe('assigned');
    expect(changed).toEqual([silent]);
    expect(woken).toEqual([admin.tenant.id]);
    const log = await api.request('GET', `/api/conversations/${silent}/events`, {
      token: admin.token,
    });
    expect(log.body.items.at(-1)).toMatchObject({
      type: 'closed',
      reason: 'inactivity',
      actor: null,
      operator: { id: operator.user.id },
    });
    // Counted in the figures of the day, as closes of their own kind.
    const stats = await api.request(
      'GET',
      `/api/queue/stats?from=${hoursAgo(24).toISOString()}&to=${new Date().toISOString()}`,
      { token: admin.token },
    );
    expect(stats.body.autoClosed).toBe(1);
    // Nothing more is due: a second sweep changes nothing.
    expect(await sweeper.sweep()).toBe(0);
  });

  it("follows each tenant's own setting, and none where it is off", async () => {
    const off = await setUp(null);
    const long = await setUp(600);
    const short = await setUp(30);
    const chats = {
      off: await off.writeHeld([{ direction: 'in', at: hoursAgo(5) }], hoursAgo(5)),
      long: await long.writeHeld([{ direction: 'in', at: hoursAgo(5) }], hoursAgo(5)),
      short: await short.writeHeld([{ direction: 'in', at: hoursAgo(5) }], hoursAgo(5)),
    };

    await createSweeper().sweeper.sweep();

    expect(await off.status(chats.off)).toBe('assigned');
    expect(await long.status(chats.long)).toBe('assigned');
    expect(await short.status(chats.short)).toBe('closed');
  });

  it('does not close a chat whose visitor is writing at that moment', async () => {
    const { writeHeld, status } = await setUp(60);
    const chat = await writeHeld([{ direction: 'in', at: hoursAgo(3) }]);
    const other = await writeHeld([{ direction: 'in', at: hoursAgo(3) }]);
    // An inbound batch holds the conversation (it locks it before adding the message).
    const inbound = api.orm.em.fork() as EntityManager;
    await inbound.begin();
    const connection = inbound.getConnection();
    const context = inbound.getTransactionContext();
    await connection.execute(
      'select id from conversation where id = ? for update',
      [chat],
      'all',
      context,
    );
    const { sweeper } = createSweeper();

    expect(await sweeper.sweep()).toBe(1); // the other one; the held row is skipped
    await connection.execute(
      `insert into message (id, tenant_id, conversation_id, page_id, direction, source, kind,
         dedup_key, occurred_at)
       select gen_random_uuid(), tenant_id, id, page_id, 'in', 'visitor', 'text',
         gen_random_uuid()::text, now() from conversation where id = ?`,
      [chat],
      'all',
      context,
    );
    await inbound.commit();

    expect(await sweeper.sweep()).toBe(0);
    expect(await status(chat)).toBe('assigned');
    expect(await status(other)).toBe('closed');
  });
});
