import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import {
  connectFacebookPage,
  connectSocket,
  disconnected,
  createDepartment,
  createOperator,
  seedConversation,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';
import { RealtimeEmitter } from './realtime.emitter.js';
import { rooms } from './realtime.events.js';

const api = useTestApi();
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((socket) => socket.disconnect()));

/** A panel's socket, once it has joined its rooms (the server says `realtime.ready`). */
async function connect(token: string): Promise<Socket> {
  const socket = await connectSocket(api, token, sockets);
  await new Promise((resolve) => socket.once('realtime.ready', resolve));
  return socket;
}

/** Every payload of `event` the socket receives from now on. */
function record(socket: Socket, event: string): unknown[] {
  const received: unknown[] = [];
  socket.on(event, (payload: unknown) => received.push(payload));
  return received;
}

const nextEvent = (socket: Socket, event: string) =>
  new Promise<{ id: string }>((resolve) => socket.once(event, resolve));

/**
 * Waits until everything sent to the socket so far has arrived: a later event reaches it
 * after the earlier ones (here its user's own status change, through the tenant's room).
 */
async function drain(socket: Socket, token: string): Promise<void> {
  const echo = nextEvent(socket, 'operator.updated');
  await api.request('PUT', '/api/me/status', { token, body: { status: 'away' } });
  await echo;
}

/** A tenant with two departments, a page routed to the first and a waiting chat from it. */
async function tenantWithAChat() {
  const admin = await signUpTenant(api);
  const [sales, support] = [
    await createDepartment(api, admin.token),
    await createDepartment(api, admin.token),
  ];
  const { page } = await connectFacebookPage(api, admin.token, { departmentId: sales.id });
  const conversation = await seedConversation(api, page.id);
  const transfer = (to: Record<string, string>) =>
    api.request('POST', `/api/conversations/${conversation.id}/transfer`, {
      token: admin.token,
      body: to,
    });
  return { admin, sales, support, conversationId: conversation.id, transfer };
}

describe('sockets follow their user’s rights', () => {
  it('are cut at once when the user is deleted', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    const socket = await connect(operator.token);
    const cut = disconnected(socket);
    const response = await api.request('DELETE', `/api/operators/${operator.user.id}`, {
      token: admin.token,
    });
    expect(response.status).toBe(204);
    expect(await cut).toBe('io server disconnect');
    await expect(connect(operator.token)).rejects.toThrow('UNAUTHENTICATED');
  });

  it('of a demoted admin end with the session and no longer receive what only admins see', async () => {
    const { admin, support, transfer } = await tenantWithAChat();
    const demoted = await createOperator(api, admin.token, { role: 'admin' });
    const socket = await connect(demoted.token);
    const cut = disconnected(socket);
    const response = await api.request('PATCH', `/api/operators/${demoted.user.id}`, {
      token: admin.token,
      body: { role: 'operator' },
    });
    expect(response.status).toBe(200);
    expect(await cut).toBe('io server disconnect');

    // A new role ends the session: the old token is refused everywhere.
    expect((await api.request('GET', '/api/me', { token: demoted.token })).status).toBe(401);
    await expect(connect(demoted.token)).rejects.toThrow('UNAUTHENTICATED');
    // Signed in again, the panel has the rooms of an operator.
    const login = await api.request('POST', '/api/auth/login', {
      body: { email: demoted.user.email, password: 'operator password' },
    });
    expect(login.status).toBe(200);
    const newToken = login.body.token as string;
    const again = await connect(newToken);
    const oldSocket = record(socket, 'conversation.updated');
    const newSocket = record(again, 'conversation.updated');
    const adminSocket = await connect(admin.token);
    const seenByAdmin = nextEvent(adminSocket, 'conversation.updated');
    expect((await transfer({ departmentId: support.id })).status).toBe(200);
    await seenByAdmin;
    await drain(again, newToken);
    expect(oldSocket).toEqual([]);
    expect(newSocket).toEqual([]);
  });

  it('of an operator removed from a department stop getting its events', async () => {
    const { admin, sales, support, transfer } = await tenantWithAChat();
    const operator = await createOperator(api, admin.token, { departmentIds: [support.id] });
    const socket = await connect(operator.token);
    const supportEvents = record(socket, 'conversation.updated');
    expect((await transfer({ departmentId: support.id })).status).toBe(200);
    await expect.poll(() => supportEvents.length).toBe(1);

    const cut = disconnected(socket);
    await api.request('PATCH', `/api/operators/${operator.user.id}`, {
      token: admin.token,
      body: { departmentIds: [] },
    });
    expect(await cut).toBe('io server disconnect');
    const again = await connect(operator.token);
    const afterRemoval = record(again, 'conversation.updated');
    const adminSocket = await connect(admin.token);
    const seenByAdmin = nextEvent(adminSocket, 'conversation.updated');
    expect((await transfer({ departmentId: sales.id })).status).toBe(200);
    await seenByAdmin;
    const seenAgain = nextEvent(adminSocket, 'conversation.updated');
    expect((await transfer({ departmentId: support.id })).status).toBe(200);
    await seenAgain;
    await drain(again, operator.token);
    expect(afterRemoval).toEqual([]);
    expect(supportEvents).toHaveLength(1);
  });

  it('leave a conversation’s room once it is transferred away from them', async () => {
    const { admin, support, conversationId, transfer } = await tenantWithAChat();
    const operator = await createOperator(api, admin.token); // in no department
    await api.request('PUT', '/api/me/status', {
      token: operator.token,
      body: { status: 'online' },
    });
    expect((await transfer({ operatorId: operator.user.id })).status).toBe(200);
    const socket = await connect(operator.token);
    expect(await socket.emitWithAck('conversation.watch', { conversationId })).toEqual({
      ok: true,
    });

    const movedAway = nextEvent(socket, 'conversation.updated');
    expect((await transfer({ departmentId: support.id })).status).toBe(200);
    expect(await movedAway).toMatchObject({ id: conversationId, status: 'queued' });

    const messages = record(socket, 'message.created');
    const adminSocket = await connect(admin.token);
    const seenByAdmin = nextEvent(adminSocket, 'message.created');
    const reply = await api.request('POST', `/api/conversations/${conversationId}/messages`, {
      token: admin.token,
      body: { text: 'An admin writes after the transfer' },
    });
    expect(reply.status).toBe(202);
    await seenByAdmin;
    await drain(socket, operator.token);
    expect(messages).toEqual([]);
    expect(socket.connected).toBe(true);
  });

  it('are cut by the worker too, which has no sockets (through Redis)', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    const login = await api.request('POST', '/api/auth/login', {
      body: { email: operator.user.email, password: 'operator password' },
    });
    const kept = await connect(operator.token);
    const other = await connect(login.body.token);
    const redis = new Redis(api.config.redisUrl);
    try {
      const worker = new RealtimeEmitter(redis, api.config.redisPrefix, createLogger(api.config));
      const cut = disconnected(other);
      const keptSession = rooms.session(String(decodeJwt(operator.token).jti));
      worker.disconnect(rooms.operator(operator.user.id), keptSession);
      expect(await cut).toBe('io server disconnect');
      await drain(kept, operator.token);
      expect(kept.connected).toBe(true);
    } finally {
      redis.disconnect();
    }
  });
});
