import type { EntityManager } from '@mikro-orm/postgresql';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { createRedis } from '../../redis.js';
import {
  connectFacebookPage,
  createDepartment,
  createOperator,
  postDelivery,
  signUpTenant,
  startTestWorker,
  useTestApi,
  connectSocket,
  openSessionFor,
} from '../../testing/test-api.js';
import { delivery, entry, textMessage } from '../../testing/messenger-fixtures.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import { OperatorsService } from '../operators/operators.service.js';
import { OperatorPresence } from './operator-presence.js';
import { createRoutingWithHooks, QueueScene } from '../../testing/routing-fixtures.js';
import { RoutingSweeper } from './routing-sweeper.js';

const api = useTestApi();
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const sockets: Socket[] = [];
beforeAll(async () => {
  worker = await startTestWorker(api);
});
afterAll(async () => {
  sockets.forEach((socket) => socket.disconnect());
  await worker?.stop();
});

const connect = (token: string, transports?: string[]) =>
  connectSocket(api, token, sockets, transports);

/** A session token for a user written straight into the database (QueueScene). */
async function signInAs(actor: { userId: string; tenantId: string }) {
  return { token: await openSessionFor(api, actor) };
}

/** Resolves with the first `conversation.updated` on the socket that matches. */
function nextUpdate(
  socket: Socket,
  matches: (conversation: { id: string; status: string; operatorId: string | null }) => boolean,
) {
  return new Promise<{ id: string; status: string; operatorId: string | null }>((resolve) => {
    const listener = (conversation: { id: string; status: string; operatorId: string | null }) => {
      if (!matches(conversation)) return;
      socket.off('conversation.updated', listener);
      resolve(conversation);
    };
    socket.on('conversation.updated', listener);
  });
}

describe('the queue end to end', () => {
  it('assigns a new visitor to an online operator live, and a reopened chat to them again', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token);
    const connected = await connectFacebookPage(api, admin.token, {
      departmentId: department.id,
    });
    const first = await createOperator(api, admin.token, { departmentIds: [department.id] });
    const socket = await connect(first.token);
    await api.request('PUT', '/api/me/status', { token: first.token, body: { status: 'online' } });
    const pageId = connected.page.pageId;
    const write = (text: string) =>
      postDelivery(
        api,
        admin.tenant.key,
        delivery(entry(pageId, textMessage({ psid: 'visitor-1', pageId, text }))),
        connected.appSecret,
      );

    const assigned = nextUpdate(socket, (c) => c.status === 'assigned');
    await write('hello');
    const conversation = await assigned;
    expect(conversation.operatorId).toBe(first.user.id);

    // Closed; a colleague with nothing to do comes online; the visitor writes again.
    await api.request('POST', `/api/conversations/${conversation.id}/close`, {
      token: first.token,
    });
    const colleague = await createOperator(api, admin.token, { departmentIds: [department.id] });
    await api.request('PUT', '/api/me/status', {
      token: colleague.token,
      body: { status: 'online' },
    });
    const reassigned = nextUpdate(
      socket,
      (c) => c.id === conversation.id && c.status === 'assigned',
    );
    await write('me again');
    expect((await reassigned).operatorId).toBe(first.user.id);

    const log = await api.request('GET', `/api/conversations/${conversation.id}/events`, {
      token: admin.token,
    });
    expect(
      log.body.items.map((event: { type: string; reason: string }) => [event.type, event.reason]),
    ).toEqual([
      ['queued', 'new_conversation'],
      ['assigned', 'automatic'],
      ['closed', 'manual'],
      ['queued', 'visitor_wrote'],
      ['assigned', 'previous_operator'],
    ]);
  });

  it('leaves a chat waiting when nobody is online, and assigns it when someone comes online', async () => {
    const admin = await signUpTenant(api);
    const connected = await connectFacebookPage(api, admin.token);
    const operator = await createOperator(api, admin.token);
    const socket = await connect(operator.token);
    const pageId = connected.page.pageId;
    const queued = nextUpdate(socket, (c) => c.status === 'queued');
    await postDelivery(
      api,
      admin.tenant.key,
      delivery(entry(pageId, textMessage({ psid: 'visitor-2', pageId, text: 'anyone?' }))),
      connected.appSecret,
    );
    const waiting = await queued;

    const assigned = nextUpdate(socket, (c) => c.id === waiting.id && c.status === 'assigned');
    await api.request('PUT', '/api/me/status', {
      token: operator.token,
      body: { status: 'online' },
    });
    expect((await assigned).operatorId).toBe(operator.user.id);
  });
});

describe('deleting a page', () => {
  it("tells the panels, and gives its operators' freed room to the next waiting chat at once", async () => {
    const admin = await signUpTenant(api);
    const deleted = await connectFacebookPage(api, admin.token);
    const kept = await connectFacebookPage(api, admin.token);
    const operator = await createOperator(api, admin.token, { maxChats: 1 });
    const socket = await connect(operator.token);
    await api.request('PUT', '/api/me/status', {
      token: operator.token,
      body: { status: 'online' },
    });
    const write = (connected: typeof deleted, psid: string) =>
      postDelivery(
        api,
        admin.tenant.key,
        delivery(
          entry(
            connected.page.pageId,
            textMessage({ psid, pageId: connected.page.pageId, text: 'hello' }),
          ),
        ),
        connected.appSecret,
      );
    const held = nextUpdate(socket, (c) => c.status === 'assigned');
    await write(deleted, 'visitor-of-the-deleted-page');
    await held;
    const queued = nextUpdate(socket, (c) => c.status === 'queued');
    await write(kept, 'visitor-of-the-kept-page');
    const waiting = await queued;

    const assigned = nextUpdate(socket, (c) => c.id === waiting.id && c.status === 'assigned');
    const announced = new Promise((resolve) => socket.once('page.deleted', resolve));
    const response = await api.request('DELETE', `/api/channels/facebook/${deleted.page.id}`, {
      token: admin.token,
    });
    expect(response.status).toBe(204);
    // Panels drop the page's chats.
    expect(await announced).toEqual({ id: deleted.page.id, pageId: deleted.page.pageId });
    // Well before the routing sweep (every 15 s) would notice.
    const soon = new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000));
    expect(await Promise.race([assigned, soon])).toMatchObject({ operatorId: operator.user.id });
  });
});

describe('watching a conversation', () => {
  it('is allowed to whoever may see it, and refused to others', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token);
    const elsewhere = await createDepartment(api, admin.token);
    const { page } = await connectFacebookPage(api, admin.token, { departmentId: department.id });
    const scene = new QueueScene(api.orm.em.fork() as EntityManager, admin.tenant.id, page.id);
    const [chat] = await scene.addWaiting(1, department.id);
    const member = await createOperator(api, admin.token, { departmentIds: [department.id] });
    const outsider = await createOperator(api, admin.token, { departmentIds: [elsewhere.id] });
    const stranger = await signUpTenant(api);

    const watch = async (token: string) =>
      (await connect(token)).emitWithAck('conversation.watch', { conversationId: chat });
    expect(await watch(member.token)).toEqual({ ok: true });
    expect(await watch(admin.token)).toEqual({ ok: true });
    expect(await watch(outsider.token)).toEqual({ ok: false });
    expect(await watch(stranger.token)).toEqual({ ok: false });
  });
});

describe('the queue figures', () => {
  it('count waiting, serving and free room per department, and are pushed when they change', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token);
    const { page } = await connectFacebookPage(api, admin.token, { departmentId: department.id });
    const scene = new QueueScene(api.orm.em.fork() as EntityManager, admin.tenant.id, page.id);
    const [busy] = await scene.addOperators(1, { maxChats: 3, departmentIds: [department.id] });
    await scene.addOperators(1, { status: 'away', departmentIds: [department.id] });
    const [oldest, , chat] = await scene.addWaiting(3, department.id);
    await scene.addWaiting(1, null);
    const socket = await connect(admin.token);
    const pushed = new Promise<{ departments: { waiting: number }[] }>((resolve) =>
      socket.once('queue.updated', resolve),
    );

    const taken = await api.request('POST', `/api/conversations/${chat}/take`, {
      token: (await signInAs(busy!)).token,
    });
    expect(taken.status).toBe(200);
    const figures = await api.request('GET', '/api/queue', { token: admin.token });
    const oldestQueuedAt = (
      await api.request('GET', `/api/conversations/${oldest}`, { token: admin.token })
    ).body.queuedAt;
    expect(figures.body.departments).toEqual([
      {
        departmentId: null,
        waiting: 1,
        oldestQueuedAt: expect.any(String),
        inProgress: 0,
        operatorsOnline: 1,
        freeSlots: 2,
        open: true,
      },
      {
        departmentId: department.id,
        waiting: 2,
        oldestQueuedAt,
        inProgress: 1,
        operatorsOnline: 1,
        freeSlots: 2,
        open: true,
      },
    ]);
    expect(figures.body.operators).toContainEqual(
      expect.objectContaining({ id: busy!.userId, status: 'online', load: 1, capacity: 3 }),
    );
    expect((await pushed).departments.map((row) => row.waiting)).toEqual([1, 2]);
  });
});

describe('the presence sweep', () => {
  it('takes offline who has been gone past the grace period, and gives their chats back', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token);
    const { page } = await connectFacebookPage(api, admin.token, { departmentId: department.id });
    const em = api.orm.em.fork() as EntityManager;
    const scene = new QueueScene(em, admin.tenant.id, page.id);
    const [connected, gone, justLeft] = await scene.addOperators(3, {
      departmentIds: [department.id],
    });
    const chats = await scene.addWaiting(3, department.id);
    const routing = createRoutingWithHooks(
      em,
      {
        wakeDispatcher: async () => {},
        conversationsChanged: async () => {},
        scheduleFirstResponseCheck: async () => {},
      },
      createLogger(api.config),
    );
    await routing.dispatch(admin.tenant.id);

    const grace = 60_000;
    const clock = { now: Date.now() + 10 * grace }; // everyone went online long ago
    const redis = createRedis(api.config, 'presence-test', createLogger(api.config));
    const presence = new OperatorPresence(redis, api.config.redisPrefix, () => clock.now);
    await presence.connected({ userId: connected!.userId, socketId: 'a' });
    await presence.connected({ userId: justLeft!.userId, socketId: 'b' });
    await presence.disconnected({ userId: justLeft!.userId, socketId: 'b' });
    clock.now += grace - 1_000;
    await presence.refresh([{ userId: connected!.userId, socketId: 'a' }]);
    await presence.connected({ userId: 'someone-else', socketId: 'c' }); // not in this tenant

    const operators = new OperatorsService(
      em,
      new PasswordHasher(),
      async () => {}, // the panels' entries are left to the worker's outbox sweep
      routing.requeueHeldBy.bind(routing),
      { endAllOf: async () => {}, disconnectUser: () => {} },
    );
    const sweeper = new RoutingSweeper(
      em,
      presence,
      async (tenantId, userId) =>
        void (await operators.changeStatus(tenantId, userId, 'offline', 'connection_lost')),
      routing,
      async () => {},
      grace,
      () => new Date(clock.now),
    );
    await sweeper.sweep();

    const statuses = await em
      .getConnection()
      .execute<{ id: string; status: string }[]>(
        'select id, status from app_user where tenant_id = ? and role = ?',
        [admin.tenant.id, 'operator'],
      );
    expect(Object.fromEntries(statuses.map((user) => [user.id, user.status]))).toEqual({
      [connected!.userId]: 'online',
      [gone!.userId]: 'offline',
      [justLeft!.userId]: 'online',
    });
    // (The test's worker may hand the requeued chat to someone else meanwhile: not to `gone`.)
    expect([...(await scene.holders()).values()]).not.toContain(gone!.userId);
    const log = await em
      .getConnection()
      .execute<{ conversation_id: string; reason: string; operator_id: string }[]>(
        `select conversation_id, reason, operator_id from conversation_event
         where tenant_id = ? and type = 'requeued'`,
        [admin.tenant.id],
      );
    expect(log).toEqual([
      {
        conversation_id: expect.toBeOneOf(chats),
        reason: 'connection_lost',
        operator_id: gone!.userId,
      },
    ]);
    redis.disconnect();
  });
});
