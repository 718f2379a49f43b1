import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import { useOperatorsStore } from '@/stores/operators';
import { useSessionStore } from '@/stores/session';
import { makeTenant, makeUser } from '@/test/factories';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';

type Handler = (...args: unknown[]) => void;

const fakeSocket = vi.hoisted(() => {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    connected: false,
    on: vi.fn((event: string, handler: Handler) => handlers.set(event, handler)),
    removeAllListeners: vi.fn(() => handlers.clear()),
    disconnect: vi.fn(),
  };
});

vi.mock('socket.io-client', () => ({ io: vi.fn(() => fakeSocket) }));

const { io } = await import('socket.io-client');
const { connectRealtime, disconnectRealtime } = await import('./socket');

describe('realtime socket', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    fakeSocket.handlers.clear();
    vi.mocked(io).mockClear();
    fakeSocket.disconnect.mockClear();
  });

  it('connects to the same origin with the session token', () => {
    connectRealtime('jwt-1');

    expect(io).toHaveBeenCalledWith(expect.objectContaining({ auth: { token: 'jwt-1' } }));
    expect([...fakeSocket.handlers.keys()]).toContain('operator.updated');
    disconnectRealtime();
    expect(fakeSocket.disconnect).toHaveBeenCalled();
  });

  it('applies operator.updated to the operators list and to the current user', async () => {
    const me = makeUser({ status: 'offline' });
    const colleague = makeUser({ status: 'offline' });
    stubFetch({
      'POST /api/auth/login': jsonResponse(200, { token: 'jwt', user: me, tenant: makeTenant() }),
      'GET /api/operators': jsonResponse(200, { items: [me, colleague] }),
    });
    const session = useSessionStore();
    configureHttpAuth({ getToken: () => session.token, onUnauthenticated: () => {} });
    await session.login({ email: me.email, password: 'secret123' });
    const operators = useOperatorsStore();
    await operators.fetchAll();

    connectRealtime('jwt');
    const onOperatorUpdated = fakeSocket.handlers.get('operator.updated');
    onOperatorUpdated?.({ ...colleague, status: 'online' });
    onOperatorUpdated?.({ ...me, status: 'away' });

    expect(operators.items.find((o) => o.id === colleague.id)?.status).toBe('online');
    expect(session.status).toBe('away');
    disconnectRealtime();
  });

  it('survives a malformed event', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    connectRealtime('jwt');

    expect(() => fakeSocket.handlers.get('operator.updated')?.(null)).not.toThrow();
    disconnectRealtime();
  });
});
