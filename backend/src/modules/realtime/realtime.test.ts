import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSocket,
  createOperator,
  signUpTenant,
  startTestApi,
  type TestApi,
} from '../../test/test-api.js';

let api: TestApi;
const sockets: Socket[] = [];
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  sockets.forEach((socket) => socket.disconnect());
  await api.stop();
});

const connect = (token: string, transports?: string[]) =>
  connectSocket(api, token, sockets, transports);

describe('realtime', () => {
  it("pushes an operator's status change to everyone in their tenant, and no one else", async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    const outsider = await signUpTenant(api);
    const adminSocket = await connect(admin.token);
    const outsiderSocket = await connect(outsider.token);
    const outsiderEvents: unknown[] = [];
    outsiderSocket.on('operator.updated', (user) => outsiderEvents.push(user));

    const received = new Promise((resolve) => adminSocket.once('operator.updated', resolve));
    await api.request('PUT', '/api/me/status', {
      token: operator.token,
      body: { status: 'online' },
    });
    expect(await received).toMatchObject({ id: operator.user.id, status: 'online' });

    // A later event reaching the outsider would show up before this one reaches the admin.
    const second = new Promise((resolve) => adminSocket.once('operator.updated', resolve));
    await api.request('PUT', '/api/me/status', { token: operator.token, body: { status: 'away' } });
    await second;
    expect(outsiderEvents).toEqual([]);
  });

  it('works over long-polling too, as browsers start', async () => {
    const admin = await signUpTenant(api);
    const socket = await connect(admin.token, ['polling']);
    const received = new Promise((resolve) => socket.once('operator.updated', resolve));
    await api.request('PUT', '/api/me/status', { token: admin.token, body: { status: 'away' } });
    expect(await received).toMatchObject({ id: admin.user.id, status: 'away' });
    expect((await api.request('GET', '/health')).status).toBe(200);
  });

  it('reaches a socket of another api instance (the Redis adapter)', async () => {
    const second = await startTestApi();
    try {
      const admin = await signUpTenant(api);
      const operator = await createOperator(api, admin.token);
      const socket = await connectSocket(second, admin.token, sockets);
      const received = new Promise((resolve) => socket.once('operator.updated', resolve));
      await api.request('PUT', '/api/me/status', {
        token: operator.token,
        body: { status: 'online' },
      });
      expect(await received).toMatchObject({ id: operator.user.id, status: 'online' });
    } finally {
      await second.stop();
    }
  });

  it('refuses a connection without a valid token', async () => {
    await expect(connect('not a token')).rejects.toThrow('UNAUTHENTICATED');
  });
});
