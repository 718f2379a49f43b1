import type { EntityManager } from '@mikro-orm/postgresql';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { hoursAgo, writeChat, type ChatLine } from '../../testing/chat-fixtures.js';
import {
  connectFacebookPage,
  connectSocket,
  createDepartment,
  createOperator,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';

const api = useTestApi();
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((socket) => socket.disconnect()));

/** A tenant with a department, a page routed to it (Human Agent as asked), an operator online. */
async function setUp(options: { humanAgentEnabled?: boolean; maxChats?: number } = {}) {
  const admin = await signUpTenant(api);
  const department = await createDepartment(api, admin.token);
  const { page } = await connectFacebookPage(api, admin.token, {
    departmentId: department.id,
    humanAgentEnabled: options.humanAgentEnabled ?? false,
  });
  const operator = await createOperator(api, admin.token, {
    departmentIds: [department.id],
    maxChats: options.maxChats ?? null,
  });
  await api.request('PUT', '/api/me/status', { token: operator.token, body: { status: 'online' } });
  const write = (
    status: 'queued' | 'assigned' | 'closed',
    lines: ChatLine[],
    operatorId: string | null = null,
  ) =>
    writeChat(api.orm.em.fork() as EntityManager, {
      tenantId: admin.tenant.id,
      pageRecordId: page.id,
      departmentId: department.id,
      status,
      operatorId,
      assignedAt: status === 'queued' ? null : hoursAgo(3),
      closedAt: status === 'closed' ? hoursAgo(1) : null,
      lines,
    });
  return { admin, department, page, operator, write };
}

const reopen = (id: string, token: string) =>
  api.request('POST', `/api/conversations/${id}/reopen`, { token });

describe('follow-up of a closed conversation', () => {
  it('gives it to the caller inside the reply window, logs it, and tells the panels', async () => {
    const { admin, operator, write } = await setUp();
    const chat = await write('closed', [
      { direction: 'in', at: hoursAgo(3) },
      { direction: 'out', at: hoursAgo(2.5) },
    ]);
    const socket = await connectSocket(api, operator.token, sockets);
    const pushed = new Promise<{ id: string; status: string }>((resolve) =>
      socket.on('conversation.updated', (conversation: { id: string; status: string }) => {
        if (conversation.id === chat && conversation.status === 'assigned') resolve(conversation);
      }),
    );

    const response = await reopen(chat, operator.token);

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({
      id: chat,
      status: 'assigned',
      operatorId: operator.user.id,
      closedAt: null,
      replyWindow: { canReply: true },
    });
    expect(response.body.assignedAt).not.toBeNull();
    expect(await pushed).toMatchObject({ id: chat, status: 'assigned' });
    const log = await api.request('GET', `/api/conversations/${chat}/events`, {
      token: admin.token,
    });
    expect(log.body.items.at(-1)).toMatchObject({
      type: 'reopened',
      reason: 'follow_up',
      actor: { id: operator.user.id },
      operator: { id: operator.user.id },
    });
    // It is theirs now: the reply path accepts it.
    const reply = await api.request('POST', `/api/conversations/${chat}/messages`, {
      token: operator.token,
      body: { text: 'Following up' },
    });
    expect(reply.status).toBe(202);
  });

  it('is refused once nothing could be sent any more, with when the window closed', async () => {
    const { operator, write } = await setUp();
    const visitorWroteAt = hoursAgo(25);
    const chat = await write('closed', [{ direction: 'in', at: visitorWroteAt }]);

    const response = await reopen(chat, operator.token);

    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'REPLY_WINDOW_CLOSED',
      details: { closedAt: new Date(visitorWroteAt.getTime() + 24 * 3_600_000).toISOString() },
    });
    const unchanged = await api.request('GET', `/api/conversations/${chat}`, {
      token: operator.token,
    });
    expect(unchanged.body).toMatchObject({ status: 'closed', operatorId: null });
  });

  it('uses the human-agent week where the page has the feature', async () => {
    const { operator, write } = await setUp({ humanAgentEnabled: true });
    const eightDaysAgo = hoursAgo(8 * 24);
    const threeDaysOld = await write('closed', [{ direction: 'in', at: hoursAgo(72) }]);
    const eightDaysOld = await write('closed', [{ direction: 'in', at: eightDaysAgo }]);

    expect((await reopen(threeDaysOld, operator.token)).status).toBe(200);
    const tooOld = await reopen(eightDaysOld, operator.token);
    expect(tooOld.status).toBe(422);
    expect(tooOld.body.error.details.closedAt).toBe(
      new Date(eightDaysAgo.getTime() + 7 * 24 * 3_600_000).toISOString(),
    );
  });

  it('applies capacity, and answers 409 for a chat that is not closed', async () => {
    const { operator, write } = await setUp({ maxChats: 1 });
    await write('assigned', [{ direction: 'in', at: hoursAgo(1) }], operator.user.id);
    const closed = await write('closed', [{ direction: 'in', at: hoursAgo(2) }]);
    const waiting = await write('queued', [{ direction: 'in', at: hoursAgo(2) }]);

    const full = await reopen(closed, operator.token);
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('AT_CAPACITY');
    const open = await reopen(waiting, operator.token);
    expect(open.status).toBe(409);
    expect(open.body.error.code).toBe('CONVERSATION_NOT_CLOSED');
  });

  it('is given to one of two operators following up at the same moment', async () => {
    const { admin, department, operator, write } = await setUp();
    const colleague = await createOperator(api, admin.token, { departmentIds: [department.id] });
    await api.request('PUT', '/api/me/status', {
      token: colleague.token,
      body: { status: 'online' },
    });
    const chat = await write('closed', [{ direction: 'in', at: hoursAgo(2) }]);

    const outcomes = await Promise.all([
      reopen(chat, operator.token),
      reopen(chat, colleague.token),
    ]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([200, 409]);
    expect(outcomes.find((outcome) => outcome.status === 409)!.body.error.code).toBe(
      'CONVERSATION_NOT_CLOSED',
    );
    const log = await api.request('GET', `/api/conversations/${chat}/events`, {
      token: admin.token,
    });
    expect(
      log.body.items.filter((event: { type: string }) => event.type === 'reopened'),
    ).toHaveLength(1);
  });

  it("is not found for another department's operator nor for another tenant", async () => {
    const { admin, write } = await setUp();
    const elsewhere = await createDepartment(api, admin.token);
    const stranger = await createOperator(api, admin.token, { departmentIds: [elsewhere.id] });
    const intruder = await signUpTenant(api, 'Tenant B');
    await api.request('PUT', '/api/me/status', {
      token: intruder.token,
      body: { status: 'online' },
    });
    const chat = await write('closed', [{ direction: 'in', at: hoursAgo(2) }]);

    for (const token of [stranger.token, intruder.token]) {
      const response = await reopen(chat, token);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
    const unchanged = await api.request('GET', `/api/conversations/${chat}`, {
      token: admin.token,
    });
    expect(unchanged.body.status).toBe('closed');
  });
});
