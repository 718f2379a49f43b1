import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import { useConversationsStore } from '@/stores/conversations';
import { useFacebookPagesStore } from '@/stores/facebook-pages';
import { useOperatorsStore } from '@/stores/operators';
import { useSessionStore } from '@/stores/session';
import { makeConversation, makeFacebookPage, makeTenant, makeUser } from '@/test/factories';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';

type Handler = (...args: unknown[]) => void;

const fakeSocket = vi.hoisted(() => {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    connected: false,
    on: vi.fn((event: string, handler: Handler) => handlers.set(event, handler)),
    emit: vi.fn(),
    removeAllListeners: vi.fn(() => handlers.clear()),
    disconnect: vi.fn(),
    connect: vi.fn(),
    active: true,
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
    fakeSocket.connect.mockClear();
    fakeSocket.emit.mockReset();
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

  it("applies page.deleted: the page leaves the admin's list and its chats the workspace", () => {
    const conversations = useConversationsStore();
    const pages = useFacebookPagesStore();
    conversations.upsert(
      makeConversation({
        id: 'gone',
        channel: { type: 'facebook', pageId: 'fb-1', pageName: 'Old' },
      }),
    );
    conversations.upsert(makeConversation({ id: 'kept' }));
    pages.upsert(makeFacebookPage({ id: 'page-1', pageId: 'fb-1' }));

    connectRealtime('jwt');
    fakeSocket.handlers.get('page.deleted')?.({ id: 'page-1', pageId: 'fb-1' });

    expect([...conversations.byId.keys()]).toEqual(['kept']);
    expect(pages.items).toEqual([]);
    disconnectRealtime();
  });

  it('survives a malformed event', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    connectRealtime('jwt');

    expect(() => fakeSocket.handlers.get('operator.updated')?.(null)).not.toThrow();
    disconnectRealtime();
  });

  describe('when the server ends or re-scopes the session', () => {
    it('sends the user to sign in when the handshake is refused as UNAUTHENTICATED', () => {
      const onSessionEnded = vi.fn();
      connectRealtime('jwt', onSessionEnded);
      const connectError = fakeSocket.handlers.get('connect_error')!;

      connectError(new Error('xhr poll error')); // the server is away: keep trying
      expect(onSessionEnded).not.toHaveBeenCalled();
      connectError(new Error('UNAUTHENTICATED'));
      expect(onSessionEnded).toHaveBeenCalledTimes(1);
      disconnectRealtime();
    });

    it('reconnects after being cut, then reads the user and everything it holds again', async () => {
      const me = makeUser({ role: 'admin' });
      const { operators, colleague } = await (async () => {
        const other = makeUser({ status: 'offline' });
        stubFetch({ 'GET /api/operators': jsonResponse(200, { items: [other] }) });
        const store = useOperatorsStore();
        await store.fetchAll();
        return { operators: store, colleague: other };
      })();
      const session = useSessionStore();
      session.token = 'jwt';
      session.user = me;
      configureHttpAuth({ getToken: () => session.token, onUnauthenticated: () => {} });
      connectRealtime('jwt');
      fakeSocket.handlers.get('realtime.ready')!({ seq: 3 });

      fakeSocket.handlers.get('disconnect')!('transport close'); // socket.io retries itself
      expect(fakeSocket.connect).not.toHaveBeenCalled();
      fakeSocket.handlers.get('disconnect')!('io server disconnect'); // demoted, say
      expect(fakeSocket.connect).toHaveBeenCalledTimes(1);

      stubFetch({
        'GET /api/me': jsonResponse(200, {
          user: { ...me, role: 'operator' },
          tenant: makeTenant(),
        }),
        'GET /api/operators': jsonResponse(200, { items: [{ ...colleague, status: 'online' }] }),
      });
      fakeSocket.handlers.get('realtime.ready')!({ seq: 3 });
      await vi.waitFor(() => expect(session.user?.role).toBe('operator'));
      await vi.waitFor(() => expect(operators.items[0]?.status).toBe('online'));
      expect(fakeSocket.emit).not.toHaveBeenCalledWith(
        'resync',
        expect.anything(),
        expect.anything(),
      );
      disconnectRealtime();
    });
  });

  describe('after a reconnection', () => {
    async function loadedOperators() {
      const colleague = makeUser({ status: 'offline' });
      stubFetch({ 'GET /api/operators': jsonResponse(200, { items: [colleague] }) });
      const operators = useOperatorsStore();
      await operators.fetchAll();
      return { operators, colleague };
    }

    it('replays exactly the events it missed', async () => {
      const { operators, colleague } = await loadedOperators();
      connectRealtime('jwt');
      const ready = fakeSocket.handlers.get('realtime.ready')!;
      ready({ seq: 10 });
      fakeSocket.handlers.get('operator.updated')!({ ...colleague, status: 'away' }, { seq: 11 });
      expect(fakeSocket.emit).not.toHaveBeenCalled();

      ready({ seq: 13 }); // reconnected: two events went by meanwhile
      expect(fakeSocket.emit).toHaveBeenCalledWith('resync', { after: 11 }, expect.any(Function));
      const answer = fakeSocket.emit.mock.calls[0]![2] as (resync: unknown) => void;
      answer({
        complete: true,
        events: [
          { seq: 12, event: 'operator.updated', payload: { ...colleague, status: 'online' } },
          {
            seq: 13,
            event: 'operator.updated',
            payload: { ...colleague, status: 'online', name: 'Renamed' },
          },
        ],
      });
      expect(operators.items[0]).toMatchObject({ status: 'online', name: 'Renamed' });

      ready({ seq: 13 }); // nothing missed this time
      expect(fakeSocket.emit).toHaveBeenCalledTimes(1);
      disconnectRealtime();
    });

    it('reloads what it holds when the server no longer keeps all it missed', async () => {
      const { operators, colleague } = await loadedOperators();
      connectRealtime('jwt');
      const ready = fakeSocket.handlers.get('realtime.ready')!;
      ready({ seq: 1 });
      ready({ seq: 5000 });
      stubFetch({
        'GET /api/operators': jsonResponse(200, { items: [{ ...colleague, status: 'online' }] }),
      });
      const answer = fakeSocket.emit.mock.calls[0]![2] as (resync: unknown) => void;
      answer({ complete: false, events: [] });
      await vi.waitFor(() => expect(operators.items[0]?.status).toBe('online'));
      disconnectRealtime();
    });
  });
});
