import type { EntityManager } from '@mikro-orm/postgresql';
import { Queue } from 'bullmq';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { handlersFor } from '../../testing/outbox-handlers.js';
import { OutboxDispatcher } from '../../outbox/outbox-dispatcher.js';
import type { RoutingChangedPayload } from '../../outbox/outbox-map.js';
import { createRedis } from '../../redis.js';
import {
  connectFacebookPage,
  connectSocket,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../../testing/test-api.js';
import type { ConversationDto } from '../conversations/conversations.schemas.js';
import { RoutingFollowUps, type RoutingFollowUpsHooks } from './routing-follow-ups.js';
import { QueueScene } from '../../testing/routing-fixtures.js';
import { RoutingService } from './routing.service.js';

/**
 * What a committed move in the queue must cause (the panel update, the first-response
 * check) survives the process failing or dying right after the commit: it was committed
 * with the move, in the outbox, and the outbox sweep performs it. Its own database, so only
 * this file's worker sweeps its outbox.
 */
const api = useTestApi({}, { ownDatabase: true });
const cleanup: { stop: () => Promise<void> }[] = [];
const sockets: Socket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const resource of cleanup.reverse()) await resource.stop();
});

const TIMEOUT_SECONDS = 30;

/** A tenant with a first-response timeout, one online operator and one waiting chat. */
async function setUp() {
  const admin = await signUpTenant(api);
  const settings = await api.request('PATCH', '/api/tenant', {
    token: admin.token,
    body: { firstResponseTimeoutSeconds: TIMEOUT_SECONDS },
  });
  expect(settings.status).toBe(200);
  const { page } = await connectFacebookPage(api, admin.token);
  const em = api.orm.em.fork() as EntityManager;
  const queue = new QueueScene(em, admin.tenant.id, page.id);
  const [operator] = await queue.addOperators(1);
  const [chat] = await queue.addWaiting(1);
  return { admin, em, queue, operator: operator!, chat: chat! };
}

async function count(text: string, params: unknown[]): Promise<number> {
  const [row] = await api.orm.em.getConnection().execute<{ count: number }[]>(text, params);
  return row!.count;
}

const outboxOf = (tenantId: string) =>
  count('select count(*)::int as count from outbox_entry where tenant_id = ?', [tenantId]);

/** Makes the tenant's entries due for a sweep, as if their backoff and grace had passed. */
async function makeOutboxDue(tenantId: string): Promise<void> {
  await api.orm.em
    .getConnection()
    .execute(
      `update outbox_entry set available_at = now() - interval '1 minute' where tenant_id = ?`,
      [tenantId],
    );
}

async function assignedAtOf(chat: string): Promise<number> {
  const [row] = await api.orm.em
    .getConnection()
    .execute<{ assigned_at: Date }[]>('select assigned_at from conversation where id = ?', [chat]);
  return new Date(row!.assigned_at).getTime();
}

/** The worker's BullMQ queue of first-response checks. */
function firstResponseChecks(): Queue {
  const redis = createRedis(api.config, 'first-response-test', createLogger(api.config));
  const queue = new Queue('first-response-check', {
    connection: redis,
    prefix: api.config.redisPrefix,
  });
  cleanup.push({
    stop: async () => {
      await queue.close();
      redis.disconnect();
    },
  });
  return queue;
}

describe('follow-ups of a move in the queue', () => {
  it('still reach the panel and schedule the first-response check, once, when the worker died right after the commit', async () => {
    const { admin, em, queue, operator, chat } = await setUp();
    const panel = await connectSocket(api, admin.token, sockets);
    const updates: ConversationDto[] = [];
    panel.on('conversation.updated', (conversation: ConversationDto) => updates.push(conversation));
    const dying = new RoutingService(em, {
      wakeDispatcher: async () => {},
      dispatchCommitted: async () => {
        throw new Error('the worker died after the commit');
      },
    });

    await expect(dying.dispatch(admin.tenant.id)).rejects.toThrow('the worker died');
    expect((await queue.holders()).get(chat)).toBe(operator.userId);
    expect(await outboxOf(admin.tenant.id)).toBe(1);
    const checks = firstResponseChecks();
    const jobId = `first-response-${chat}-${await assignedAtOf(chat)}`;
    expect(await checks.getJob(jobId)).toBeUndefined();

    // A worker starts again: its outbox sweep performs what the dead one left.
    const worker = await startTestWorker(api);
    try {
      await expect
        .poll(() => updates.filter((update) => update.id === chat).map((update) => update.status), {
          timeout: 15_000,
        })
        .toEqual(['assigned']);
      await expect.poll(() => outboxOf(admin.tenant.id), { timeout: 15_000 }).toBe(0);
      const job = await checks.getJob(jobId);
      expect(job?.data).toEqual({
        conversationId: chat,
        assignedAt: new Date(await assignedAtOf(chat)).toISOString(),
      });
      // Due when the timeout after the assignment ends, not a whole timeout after the sweep.
      expect(
        Math.abs(job!.timestamp + job!.delay - (await assignedAtOf(chat)) - TIMEOUT_SECONDS * 1000),
      ).toBeLessThan(1_000);
      expect(await checks.getDelayedCount()).toBe(1);
    } finally {
      await worker.stop(); // the next test sweeps by itself
    }
  });

  it('are retried by the sweep when a step failed, with the check still due at its time', async () => {
    const { admin, em, chat } = await setUp();
    const changed: string[] = [];
    const scheduled: { conversationId: string; delayMs: number }[] = [];
    let isQueueDown = true;
    const clock = { now: Date.now() };
    const hooks: RoutingFollowUpsHooks = {
      wakeDispatcher: async () => {},
      conversationsChanged: async (_tenantId, ids) => void changed.push(...ids),
      scheduleFirstResponseCheck: async ({ conversationId }, delayMs) => {
        if (isQueueDown) throw new Error('Redis is down');
        scheduled.push({ conversationId, delayMs });
      },
    };
    const followUps = new RoutingFollowUps(hooks, () => new Date(clock.now));
    const outbox = new OutboxDispatcher(
      api.orm.em.fork(),
      handlersFor({ 'routing-changed': (change, entry) => followUps.perform(change, entry) }),
      createLogger(api.config),
    );
    const routing = new RoutingService(
      em,
      {
        wakeDispatcher: hooks.wakeDispatcher,
        dispatchCommitted: (ids) => outbox.dispatchCommitted(ids),
      },
      () => new Date(clock.now),
    );

    expect(await routing.dispatch(admin.tenant.id)).toEqual([chat]);
    expect(scheduled).toEqual([]);
    expect(await outboxOf(admin.tenant.id)).toBe(1);

    // Ten seconds on, Redis is back and the entry's backoff is over: the sweep performs it.
    isQueueDown = false;
    clock.now += 10_000;
    await makeOutboxDue(admin.tenant.id);
    await outbox.dispatchDue();

    expect(scheduled).toEqual([{ conversationId: chat, delayMs: TIMEOUT_SECONDS * 1000 - 10_000 }]);
    expect(changed).toEqual([chat, chat]); // whole records: a second update is harmless
    expect(await outboxOf(admin.tenant.id)).toBe(0);
  });

  it('of a take, transfer, requeue, timeout and close are committed with each and performed by the sweep when the process failed after the commit', async () => {
    const { admin, em, queue, chat } = await setUp();
    const [first, second] = await queue.addOperators(2);
    const dying = new RoutingService(em, {
      wakeDispatcher: async () => {},
      dispatchCommitted: async () => {
        throw new Error('the process died after the commit');
      },
    });
    const died = 'the process died after the commit';
    await expect(dying.take(first!, chat)).rejects.toThrow(died);
    await expect(dying.transfer(first!, chat, { operatorId: second!.userId })).rejects.toThrow(
      died,
    );
    await expect(
      dying.requeueHeldBy(admin.tenant.id, second!.userId, 'operator_offline'),
    ).rejects.toThrow(died);
    await expect(dying.dispatch(admin.tenant.id)).rejects.toThrow(died);
    const assignedAt = new Date(await assignedAtOf(chat)).toISOString();
    await expect(dying.expireFirstResponse(chat, assignedAt)).rejects.toThrow(died);
    await expect(dying.take(first!, chat)).rejects.toThrow(died);
    await expect(dying.close(first!, chat)).rejects.toThrow(died);
    expect(await queue.holders()).toEqual(new Map());

    const performed: RoutingChangedPayload[] = [];
    const sweep = new OutboxDispatcher(
      api.orm.em.fork(),
      handlersFor({ 'routing-changed': async (change) => void performed.push(change) }),
      createLogger(api.config),
    );
    await makeOutboxDue(admin.tenant.id);
    await sweep.dispatchDue();

    const moved = (wakeDispatcher: boolean) => ({
      conversationIds: [chat],
      wakeDispatcher,
      firstResponseChecks: [],
    });
    // What outbound webhooks read of each move: who got the chat, and which were closed.
    const assigned = { assignedConversationIds: [chat] };
    expect(performed).toEqual([
      { ...moved(false), ...assigned }, // taken
      { ...moved(true), ...assigned }, // transferred: the first operator has room again
      moved(true), // requeued
      {
        ...moved(false),
        ...assigned,
        firstResponseChecks: [expect.objectContaining({ assignedAt })],
      },
      moved(true), // timed out: back to the queue
      { ...moved(false), ...assigned }, // taken
      { ...moved(true), closedConversationIds: [chat] }, // closed
    ]);
    expect(await outboxOf(admin.tenant.id)).toBe(0);
  });
});
