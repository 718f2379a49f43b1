import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, describe, expect, it } from 'vitest';
import { initOrm, type MikroORM } from '../../db/orm.js';
import { createLogger } from '../../logger.js';
import {
  connectFacebookPage,
  createDepartment,
  createOperator,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';
import type { Actor } from '../auth/actor.js';
import { createRoutingWithHooks, QueueScene } from '../../testing/routing-fixtures.js';

const api = useTestApi();

/** A tenant with a department, a page routed to it, and the queue written directly. */
async function setUp() {
  const admin = await signUpTenant(api);
  const department = await createDepartment(api, admin.token);
  const { page } = await connectFacebookPage(api, admin.token, { departmentId: department.id });
  const queue = new QueueScene(api.orm.em.fork() as EntityManager, admin.tenant.id, page.id);
  const woken: string[] = [];
  const changed: string[] = [];
  const checks: ScheduledCheck[] = [];
  const routing = createRouting(api.orm, woken, changed, checks);
  return { admin, department, page, queue, routing, woken, changed, checks };
}

type ScheduledCheck = { conversationId: string; assignedAt: string; delayMs: number };

function createRouting(
  orm: MikroORM,
  woken: string[] = [],
  changed: string[] = [],
  checks: ScheduledCheck[] = [],
) {
  return createRoutingWithHooks(
    orm.em.fork() as EntityManager,
    {
      wakeDispatcher: async (tenantId) => void woken.push(tenantId),
      conversationsChanged: async (_tenantId, ids) => void changed.push(...ids),
      scheduleFirstResponseCheck: async (check, delayMs) => void checks.push({ ...check, delayMs }),
    },
    createLogger(api.config),
  );
}

async function countsByOperator(queue: QueueScene): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const operatorId of (await queue.holders()).values())
    counts.set(operatorId, (counts.get(operatorId) ?? 0) + 1);
  return counts;
}

describe('automatic distribution', () => {
  it('gives the oldest waiting chat to the least loaded operator, then the longest idle', async () => {
    const { department, queue, routing, changed } = await setUp();
    const [a, b, c] = await queue.addOperators(3, { maxChats: 2, departmentIds: [department.id] });
    const waiting = await queue.addWaiting(5, department.id);

    const assigned = await routing.dispatch(queue.tenantId);

    expect(assigned).toEqual(waiting);
    const holders = await queue.holders();
    expect(waiting.map((id) => holders.get(id))).toEqual([
      a!.userId,
      b!.userId,
      c!.userId,
      a!.userId,
      b!.userId,
    ]);
    expect(changed).toEqual(waiting);
  });

  it('skips operators who are away, offline, full or of another department', async () => {
    const { admin, department, queue, routing } = await setUp();
    const other = await createDepartment(api, admin.token);
    await queue.addOperators(1, { status: 'away', departmentIds: [department.id] });
    await queue.addOperators(1, { status: 'offline', departmentIds: [department.id] });
    await queue.addOperators(1, { maxChats: 0, departmentIds: [department.id] });
    const [elsewhere] = await queue.addOperators(1, { departmentIds: [other.id] });
    const waitingHere = await queue.addWaiting(1, department.id);
    // A younger chat of the other department is not held up behind the first one.
    const waitingThere = await queue.addWaiting(1, other.id);

    expect(await routing.dispatch(queue.tenantId)).toEqual(waitingThere);
    expect((await queue.holders()).get(waitingThere[0]!)).toBe(elsewhere!.userId);
    expect((await queue.holders()).has(waitingHere[0]!)).toBe(false);
  });

  it('gives a chat without a department to any online operator', async () => {
    const { admin, queue, routing } = await setUp();
    const other = await createDepartment(api, admin.token);
    const [anyone] = await queue.addOperators(1, { departmentIds: [other.id] });
    const [waiting] = await queue.addWaiting(1, null);

    await routing.dispatch(queue.tenantId);
    expect((await queue.holders()).get(waiting!)).toBe(anyone!.userId);
  });

  it('spreads chats evenly between operators of equal capacity (max − min ≤ 1)', async () => {
    const { department, queue, routing } = await setUp();
    const operators = await queue.addOperators(7, { maxChats: 10, departmentIds: [department.id] });
    await queue.addWaiting(45, department.id);

    await routing.dispatch(queue.tenantId);
    const counts = await countsByOperator(queue);
    const loads = operators.map((operator) => counts.get(operator.userId) ?? 0);
    expect(loads.reduce((sum, load) => sum + load, 0)).toBe(45);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
  });
});

describe('taking, transferring and closing', () => {
  async function signedInOperator(
    setup: Awaited<ReturnType<typeof setUp>>,
    status: 'online' | 'away' | 'offline',
    maxChats: number | null = null,
  ) {
    const operator = await createOperator(api, setup.admin.token, {
      departmentIds: [setup.department.id],
      maxChats,
    });
    if (status !== 'offline') {
      await api.request('PUT', '/api/me/status', { token: operator.token, body: { status } });
    }
    return operator;
  }

  it('lets an operator who is away take a waiting chat; a second take is refused', async () => {
    const setup = await setUp();
    const first = await signedInOperator(setup, 'away');
    const second = await signedInOperator(setup, 'online');
    const [waiting] = await setup.queue.addWaiting(1, setup.department.id);

    const taken = await api.request('POST', `/api/conversations/${waiting}/take`, {
      token: first.token,
    });
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ status: 'assigned', operatorId: first.user.id });

    const late = await api.request('POST', `/api/conversations/${waiting}/take`, {
      token: second.token,
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('ALREADY_ASSIGNED');
  });

  it('refuses a take beyond capacity, and from an offline operator', async () => {
    const setup = await setUp();
    const full = await signedInOperator(setup, 'online', 1);
    const offline = await signedInOperator(setup, 'offline');
    const [one, two] = await setup.queue.addWaiting(2, setup.department.id);
    await api.request('POST', `/api/conversations/${one}/take`, { token: full.token });

    const atCapacity = await api.request('POST', `/api/conversations/${two}/take`, {
      token: full.token,
    });
    expect(atCapacity.status).toBe(409);
    expect(atCapacity.body.error.code).toBe('AT_CAPACITY');
    const whileOffline = await api.request('POST', `/api/conversations/${two}/take`, {
      token: offline.token,
    });
    expect(whileOffline.status).toBe(409);
    expect(whileOffline.body.error.code).toBe('OPERATOR_OFFLINE');
  });

  it("hides another department's chats from an operator", async () => {
    const setup = await setUp();
    const elsewhere = await createDepartment(api, setup.admin.token);
    const stranger = await createOperator(api, setup.admin.token, {
      departmentIds: [elsewhere.id],
    });
    await api.request('PUT', '/api/me/status', {
      token: stranger.token,
      body: { status: 'online' },
    });
    const [waiting] = await setup.queue.addWaiting(1, setup.department.id);
    const response = await api.request('POST', `/api/conversations/${waiting}/take`, {
      token: stranger.token,
    });
    expect(response.status).toBe(404);
  });

  it('transfers to an operator with room, refuses one without, and back to a department', async () => {
    const setup = await setUp();
    const holder = await signedInOperator(setup, 'online');
    const colleague = await signedInOperator(setup, 'away', 1);
    const [chat, other] = await setup.queue.addWaiting(2, setup.department.id);
    await api.request('POST', `/api/conversations/${chat}/take`, { token: holder.token });

    const toColleague = await api.request('POST', `/api/conversations/${chat}/transfer`, {
      token: holder.token,
      body: { operatorId: colleague.user.id },
    });
    expect(toColleague.status).toBe(200);
    expect(toColleague.body).toMatchObject({ status: 'assigned', operatorId: colleague.user.id });

    // The former holder may no longer move it; the colleague is now full.
    const notYours = await api.request('POST', `/api/conversations/${chat}/close`, {
      token: holder.token,
    });
    expect(notYours.status).toBe(403);
    await api.request('POST', `/api/conversations/${other}/take`, { token: holder.token });
    const full = await api.request('POST', `/api/conversations/${other}/transfer`, {
      token: holder.token,
      body: { operatorId: colleague.user.id },
    });
    expect(full.body.error.code).toBe('AT_CAPACITY');

    const elsewhere = await createDepartment(api, setup.admin.token);
    const toDepartment = await api.request('POST', `/api/conversations/${chat}/transfer`, {
      token: colleague.token,
      body: { departmentId: elsewhere.id },
    });
    expect(toDepartment.status).toBe(200);
    expect(toDepartment.body).toMatchObject({
      status: 'queued',
      operatorId: null,
      departmentId: elsewhere.id,
    });

    const log = await api.request('GET', `/api/conversations/${chat}/events`, {
      token: setup.admin.token,
    });
    expect(
      log.body.items.map((event: { type: string; reason: string }) => [event.type, event.reason]),
    ).toEqual([
      ['queued', 'new_conversation'],
      ['taken', 'manual'],
      ['transferred', 'transfer'],
      ['queued', 'transfer'],
    ]);
    expect(log.body.items[2]).toMatchObject({
      actor: { id: holder.user.id, name: 'Operator' },
      operator: { id: colleague.user.id, name: 'Operator' },
    });
  });

  it('closes a chat, freeing the slot and waking the dispatcher', async () => {
    const setup = await setUp();
    const [operator] = await setup.queue.addOperators(1, {
      maxChats: 1,
      departmentIds: [setup.department.id],
    });
    const [first, second] = await setup.queue.addWaiting(2, setup.department.id);
    await setup.routing.dispatch(setup.queue.tenantId);
    expect([...(await setup.queue.holders()).keys()]).toEqual([first]);

    await setup.routing.close(operator!, first!);
    expect(setup.woken).toContain(setup.queue.tenantId);
    await setup.routing.dispatch(setup.queue.tenantId);
    expect([...(await setup.queue.holders()).entries()]).toEqual([[second, operator!.userId]]);
  });

  it('returns the chats of an operator who goes offline to the queue, oldest first', async () => {
    const setup = await setUp();
    const operator = await signedInOperator(setup, 'online');
    const chats = await setup.queue.addWaiting(3, setup.department.id);
    for (const chat of chats)
      await api.request('POST', `/api/conversations/${chat}/take`, { token: operator.token });

    await api.request('PUT', '/api/me/status', {
      token: operator.token,
      body: { status: 'offline' },
    });
    const queue = await api.request('GET', '/api/conversations?status=queued', {
      token: setup.admin.token,
    });
    expect(queue.body.items.map((conversation: { id: string }) => conversation.id)).toEqual(chats);
    const log = await api.request('GET', `/api/conversations/${chats[0]}/events`, {
      token: setup.admin.token,
    });
    expect(log.body.items.at(-1)).toMatchObject({
      type: 'requeued',
      reason: 'operator_offline',
      operator: { id: operator.user.id },
    });
  });
});

describe('the first-response timeout', () => {
  it('is off by default: no check is scheduled', async () => {
    const { department, queue, routing, checks } = await setUp();
    await queue.addOperators(1, { departmentIds: [department.id] });
    await queue.addWaiting(1, department.id);
    await routing.dispatch(queue.tenantId);
    expect(checks).toEqual([]);
  });

  it('gives an unanswered chat to another operator, and spares an answered one', async () => {
    const { admin, department, queue, routing, checks } = await setUp();
    const settings = await api.request('PATCH', '/api/tenant', {
      token: admin.token,
      body: { firstResponseTimeoutSeconds: 30 },
    });
    expect(settings.body.tenant.firstResponseTimeoutSeconds).toBe(30);
    const [slow, busy] = await queue.addOperators(2, { departmentIds: [department.id] });
    const [first, second, chat] = await queue.addWaiting(3, department.id);
    await routing.dispatch(queue.tenantId); // first → slow, second → busy, chat → slow
    expect((await queue.holders()).get(chat!)).toBe(slow!.userId);
    const checkOf = (id: string) => checks.find((check) => check.conversationId === id)!;
    // Due 30 s after the assignment: the delay is what is left of that when it is scheduled.
    expect(
      Date.parse(checkOf(chat!).assignedAt) + 30_000 - Date.now() - checkOf(chat!).delayMs,
    ).toBeLessThanOrEqual(0);
    expect(checkOf(chat!).delayMs).toBeLessThanOrEqual(30_000);

    // `busy` answered their chat; `slow` answered neither.
    await queue.addOperatorReply(second!);
    expect(await routing.expireFirstResponse(second!, checkOf(second!).assignedAt)).toBe(false);
    expect(await routing.expireFirstResponse(chat!, checkOf(chat!).assignedAt)).toBe(true);
    expect(await routing.expireFirstResponse(chat!, checkOf(chat!).assignedAt)).toBe(false);

    // Least loaded now, `slow` still does not get it back: `busy` does.
    await routing.dispatch(queue.tenantId);
    const holders = await queue.holders();
    expect(holders.get(chat!)).toBe(busy!.userId);
    expect(holders.get(first!)).toBe(slow!.userId);
    const log = await api.request('GET', `/api/conversations/${chat}/events`, {
      token: admin.token,
    });
    expect(log.body.items.slice(-2)).toMatchObject([
      { type: 'requeued', reason: 'first_response_timeout', operator: { id: slow!.userId } },
      { type: 'assigned', reason: 'automatic', operator: { id: busy!.userId } },
    ]);
  });
});

describe('the queue statistics', () => {
  it('measure waits, answers, handling, unserved chats and chats per operator', async () => {
    const { admin, department, queue } = await setUp();
    const start = Date.now() - 3_600_000;
    const clock = { now: start };
    const at = (seconds: number) => (clock.now = start + seconds * 1000);
    const routing = createRoutingWithHooks(
      api.orm.em.fork() as EntityManager,
      {
        wakeDispatcher: async () => {},
        conversationsChanged: async () => {},
        scheduleFirstResponseCheck: async () => {},
      },
      createLogger(api.config),
      () => new Date(clock.now),
    );
    const [first, second] = await queue.addOperators(2, {
      maxChats: 1,
      departmentIds: [department.id],
    });
    // Queued at 0, 1, 2 and 3 s.
    const [chat1, , , chat4] = await queue.addWaiting(4, department.id, start);
    at(10);
    await routing.dispatch(queue.tenantId); // chat1 waited 10 s, chat2 9 s
    await queue.addOperatorReply(chat1!, new Date(start + 30_000)); // chat1 answered after 30 s
    at(50);
    await routing.close(first!, chat1!); // handled for 40 s
    await routing.dispatch(queue.tenantId); // chat3 waited 48 s
    at(60);
    await routing.close({ userId: admin.user.id, tenantId: queue.tenantId, role: 'admin' }, chat4!);
    // And one that has just started waiting: too early to judge, so in no share.
    await queue.addWaiting(1, department.id, Date.now() - 2_000);

    const stats = await api.request(
      'GET',
      `/api/queue/stats?from=${new Date(start - 1000).toISOString()}&to=${new Date().toISOString()}`,
      { token: admin.token },
    );
    expect(stats.status, JSON.stringify(stats.body)).toBe(200);
    expect(stats.body).toMatchObject({
      entered: 5,
      assigned: 3,
      // chat1 and chat2 in time, chat3 late, chat4 waited 57 s before it was closed.
      assignedWithinTarget: 0.5,
      // chat1 in time; chat2 and chat3 never answered; chat4 closed before 60 s: not judged.
      answeredWithinTarget: 0.333,
      averageWaitSeconds: 22.3,
      averageSpeedOfAnswerSeconds: 30,
      averageHandlingSeconds: 40,
      closedWhileWaiting: 1,
      perOperator: [
        { operatorId: first!.userId, chats: 2 },
        { operatorId: second!.userId, chats: 1 },
      ],
    });

    const backwards = await api.request(
      'GET',
      `/api/queue/stats?from=${new Date().toISOString()}&to=${new Date(start).toISOString()}`,
      { token: admin.token },
    );
    expect(backwards.status).toBe(400);
  });
});

describe('under concurrency', () => {
  const extraOrms: MikroORM[] = [];
  afterAll(async () => {
    await Promise.all(extraOrms.map((orm) => orm.close()));
  });

  it('never assigns a chat twice nor exceeds capacity: 50 operators, 2 dispatchers, 1,000 chats', async () => {
    const { department, queue } = await setUp();
    const capacity = 20;
    const operators = await queue.addOperators(50, {
      maxChats: capacity,
      departmentIds: [department.id],
    });
    const waiting = await queue.addWaiting(1000, department.id);
    // Two dispatchers with their own connection pools, as two worker processes would have.
    const dispatchers = await Promise.all(
      [1, 2].map(async () => {
        const orm = await initOrm(api.config);
        extraOrms.push(orm);
        return createRouting(orm);
      }),
    );
    const takes = createRouting(api.orm);

    const outcomes = { taken: 0, refused: 0 };
    const operatorTakes = async (operator: Actor) => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const chat = waiting[Math.floor(Math.random() * waiting.length)]!;
        try {
          await takes.take(operator, chat);
          outcomes.taken += 1;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== 'ALREADY_ASSIGNED' && code !== 'AT_CAPACITY') throw error;
          outcomes.refused += 1;
        }
      }
    };
    await Promise.all([
      ...dispatchers.map(async (routing) => {
        while ((await routing.dispatch(queue.tenantId)).length > 0);
      }),
      ...operators.map(operatorTakes),
    ]);
    // Whatever was left behind by contention, a last pass picks up.
    await dispatchers[0]!.dispatch(queue.tenantId);

    const holders = await queue.holders();
    expect(holders.size).toBe(1000); // capacity exists for every chat: all assigned
    const counts = await countsByOperator(queue);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(capacity);
    expect(outcomes.taken).toBeGreaterThan(0);

    // Exactly one assignment event per chat: nobody got a chat someone else already had.
    const events = await api.orm.em
      .fork()
      .getConnection()
      .execute<{ conversation_id: string; assignments: string }[]>(
        `select conversation_id, count(*) as assignments from conversation_event
         where tenant_id = ? and type in ('assigned', 'taken') group by conversation_id`,
        [queue.tenantId],
      );
    expect(events).toHaveLength(1000);
    expect(events.every((row) => Number(row.assignments) === 1)).toBe(true);
  }, 120_000);
});
