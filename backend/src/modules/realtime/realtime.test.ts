import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import { RealtimeEventLog, RESYNC_LIMIT } from './realtime-event-log.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSocket,
  createOperator,
  signUpTenant,
  startTestApi,
  type TestApi,
} from '../../testing/test-api.js';

let api: TestApi;
let redis: Redis;
const sockets: Socket[] = [];
beforeAll(async () => {
  api = await startTestApi();
  redis = new Redis(api.config.redisUrl);
});
afterAll(async () => {
  sockets.forEach((socket) => socket.disconnect());
  redis.disconnect();
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

  it("numbers each tenant's events, and replays what a reconnecting panel missed", async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    const other = await createOperator(api, admin.token);
    const setStatus = (who: { token: string }, status: string) =>
      api.request('PUT', '/api/me/status', { token: who.token, body: { status } });

    const first = await connectSocket(api, operator.token, sockets);
    const ready = await new Promise<{ seq: number; epoch: string }>((resolve) =>
      first.once('realtime.ready', resolve),
    );
    const live = new Promise<unknown[]>((resolve) =>
      first.once('operator.updated', (...args: unknown[]) => resolve(args)),
    );
    await setStatus(operator, 'online');
    expect(await live).toEqual([
      expect.objectContaining({ status: 'online' }),
      { seq: ready.seq + 1, epoch: ready.epoch },
    ]);
    first.disconnect();

    await setStatus(other, 'online');
    await setStatus(operator, 'away');
    const again = await connectSocket(api, operator.token, sockets);
    await new Promise((resolve) => again.once('realtime.ready', resolve));
    const missed = await again.emitWithAck('resync', { after: ready.seq + 1, epoch: ready.epoch });
    expect(missed).toEqual({
      complete: true,
      epoch: ready.epoch,
      events: [
        {
          seq: ready.seq + 2,
          event: 'operator.updated',
          payload: expect.objectContaining({ id: other.user.id }),
        },
        {
          seq: ready.seq + 3,
          event: 'operator.updated',
          payload: expect.objectContaining({ status: 'away' }),
        },
      ],
    });
    expect(await again.emitWithAck('resync', { after: ready.seq + 3 })).toEqual({
      complete: true,
      events: [],
      epoch: ready.epoch,
    });
  });

  it('starts a new epoch when Redis lost the numbering, so panels reload instead of resyncing', async () => {
    const admin = await signUpTenant(api);
    const setStatus = (status: string) =>
      api.request('PUT', '/api/me/status', { token: admin.token, body: { status } });
    const first = await connect(admin.token);
    const before = await new Promise<{ seq: number; epoch: string }>((resolve) =>
      first.once('realtime.ready', resolve),
    );
    await setStatus('online');
    await setStatus('away');
    first.disconnect();

    // Redis comes back empty (only this tenant's keys: other test files share the prefix).
    const tenantKeys = await redis.keys(`${api.config.redisPrefix}:realtime:${admin.tenant.id}:*`);
    expect(tenantKeys.length).toBeGreaterThan(0);
    await redis.del(...tenantKeys);
    await setStatus('online');

    const again = await connect(admin.token);
    const after = await new Promise<{ seq: number; epoch: string }>((resolve) =>
      again.once('realtime.ready', resolve),
    );
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.seq).toBe(1);
    // A panel that saw up to N in the old epoch is told to reload, whatever N is.
    expect(
      await again.emitWithAck('resync', { after: before.seq + 2, epoch: before.epoch }),
    ).toEqual({ complete: false, events: [], epoch: after.epoch });
    expect(await again.emitWithAck('resync', { after: 0, epoch: before.epoch })).toEqual({
      complete: false,
      events: [],
      epoch: after.epoch,
    });
    const live = new Promise<unknown[]>((resolve) =>
      again.once('operator.updated', (...args: unknown[]) => resolve(args)),
    );
    await setStatus('away');
    expect((await live)[1]).toEqual({ seq: 2, epoch: after.epoch });
  });

  it('tells a panel that missed more than the log keeps to reload', async () => {
    const log = new RealtimeEventLog(redis, api.config.redisPrefix);
    const tenantId = `tenant-${Date.now()}`;
    for (let i = 0; i < RESYNC_LIMIT + 2; i++)
      await log.append(tenantId, ['everyone'], 'operator.updated', {});
    const rooms = new Set(['everyone']);
    const { epoch } = await log.position(tenantId);
    expect(await log.after(tenantId, 0, rooms)).toEqual({ events: [], complete: false, epoch });
    const recent = await log.after(tenantId, RESYNC_LIMIT, rooms);
    expect(recent.complete).toBe(true);
    expect(recent.events.map((event) => event.seq)).toEqual([RESYNC_LIMIT + 1, RESYNC_LIMIT + 2]);
    expect((await log.after(tenantId, RESYNC_LIMIT, new Set(['elsewhere']))).events).toEqual([]);
  });

  it('goes on numbering from the counter kept before epochs, so open panels see no change', async () => {
    const log = new RealtimeEventLog(redis, api.config.redisPrefix);
    const tenantId = `tenant-before-epochs-${Date.now()}`;
    await redis.set(`${api.config.redisPrefix}:realtime:${tenantId}:seq`, '41');
    expect((await log.position(tenantId)).seq).toBe(41);
    expect((await log.append(tenantId, ['everyone'], 'operator.updated', {})).seq).toBe(42);
  });

  it('refuses a connection without a valid token', async () => {
    await expect(connect('not a token')).rejects.toThrow('UNAUTHENTICATED');
  });
});
