import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import { useConversationsStore } from '@/stores/conversations';
import { useFacebookPagesStore } from '@/stores/facebook-pages';
import { useOperatorsStore } from '@/stores/operators';
import { useRealtimeConnectionStore } from '@/stores/realtime-connection';
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
const { connectRealtime, disconnectRealtime, retryDelayMs } = await import('./socket');

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

    it('opens the two-factor setup when refused as TWO_FACTOR_SETUP_REQUIRED, without ending the session', () => {
      const onSessionEnded = vi.fn();
      const onTwoFactorSetupRequired = vi.fn();
      connectRealtime('jwt', onSessionEnded, onTwoFactorSetupRequired);

      fakeSocket.handlers.get('connect_error')!(new Error('TWO_FACTOR_SETUP_REQUIRED'));
      expect(onTwoFactorSetupRequired).toHaveBeenCalledTimes(1);
      expect(onSessionEnded).not.toHaveBeenCalled();
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
      fakeSocket.handlers.get('realtime.ready')!({ seq: 3, epoch: 'e1' });

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
      fakeSocket.handlers.get('realtime.ready')!({ seq: 3, epoch: 'e1' });
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
      ready({ seq: 10, epoch: 'e1' });
      fakeSocket.handlers.get('operator.updated')!(
        { ...colleague, status: 'away' },
        { seq: 11, epoch: 'e1' },
      );
      expect(fakeSocket.emit).not.toHaveBeenCalled();

      ready({ seq: 13, epoch: 'e1' }); // reconnected: two events went by meanwhile
      expect(fakeSocket.emit).toHaveBeenCalledWith(
        'resync',
        { after: 11, epoch: 'e1' },
        expect.any(Function),
      );
      const answer = fakeSocket.emit.mock.calls[0]![2] as (resync: unknown) => void;
      answer({
        complete: true,
        epoch: 'e1',
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

      ready({ seq: 13, epoch: 'e1' }); // nothing missed this time
      expect(fakeSocket.emit).toHaveBeenCalledTimes(1);
      disconnectRealtime();
    });

    /** What the server lists when the panel reloads: the colleague, renamed meanwhile. */
    function serverListsRenamed(colleague: ReturnType<typeof makeUser>) {
      stubFetch({
        'GET /api/operators': jsonResponse(200, { items: [{ ...colleague, name: 'Reloaded' }] }),
      });
    }

    it.each([
      ['the server no longer keeps all it missed', { complete: false, epoch: 'e1', events: [] }],
      ['the resync answer comes from another epoch', { complete: true, epoch: 'e2', events: [] }],
    ])('reloads what it holds when %s', async (_case, resyncAnswer) => {
      const { operators, colleague } = await loadedOperators();
      connectRealtime('jwt');
      const ready = fakeSocket.handlers.get('realtime.ready')!;
      ready({ seq: 1, epoch: 'e1' });
      ready({ seq: 5000, epoch: 'e1' });
      serverListsRenamed(colleague);
      const answer = fakeSocket.emit.mock.calls[0]![2] as (resync: unknown) => void;
      answer(resyncAnswer);
      await vi.waitFor(() => expect(operators.items[0]?.name).toBe('Reloaded'));
      disconnectRealtime();
    });

    it('reloads instead of resyncing when the server numbers in another epoch', async () => {
      const { operators, colleague } = await loadedOperators();
      connectRealtime('jwt');
      const ready = fakeSocket.handlers.get('realtime.ready')!;
      ready({ seq: 40, epoch: 'before' });
      serverListsRenamed(colleague);

      // Redis came back empty: the numbers restarted, lower than what the panel saw.
      ready({ seq: 2, epoch: 'after' });
      expect(fakeSocket.emit).not.toHaveBeenCalledWith(
        'resync',
        expect.anything(),
        expect.anything(),
      );
      await vi.waitFor(() => expect(operators.items[0]?.name).toBe('Reloaded'));

      // From then on the new epoch's numbers count: event 3 follows, nothing is missed.
      fakeSocket.handlers.get('operator.updated')!(
        { ...colleague, status: 'away' },
        { seq: 3, epoch: 'after' },
      );
      ready({ seq: 3, epoch: 'after' });
      expect(fakeSocket.emit).not.toHaveBeenCalled();
      disconnectRealtime();
    });

    it('reloads when a live event comes in another epoch', async () => {
      const { operators, colleague } = await loadedOperators();
      connectRealtime('jwt');
      fakeSocket.handlers.get('realtime.ready')!({ seq: 40, epoch: 'before' });
      serverListsRenamed(colleague);

      fakeSocket.handlers.get('operator.updated')!(
        { ...colleague, status: 'away' },
        { seq: 1, epoch: 'after' },
      );
      await vi.waitFor(() => expect(operators.items[0]?.name).toBe('Reloaded'));
      disconnectRealtime();
    });
  });

  describe('while the server refuses the handshake as UNAVAILABLE', () => {
    beforeEach(() => {
      vi.useFakeTimers();
      fakeSocket.active = false; // socket.io gives up after a middleware error
    });
    afterEach(() => {
      fakeSocket.active = true;
      vi.useRealTimers();
      vi.restoreAllMocks();
    });

    it('keeps retrying with a growing, capped back-off and shows the banner', () => {
      vi.spyOn(Math, 'random').mockReturnValue(1); // the longest wait of each range
      const onSessionEnded = vi.fn();
      connectRealtime('jwt', onSessionEnded);
      const connection = useRealtimeConnectionStore();
      const refused = () => fakeSocket.handlers.get('connect_error')!(new Error('UNAVAILABLE'));

      const waits = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000];
      for (const wait of waits) {
        refused();
        expect(connection.isLost).toBe(true);
        vi.advanceTimersByTime(wait - 1);
        expect(fakeSocket.connect).not.toHaveBeenCalled();
        vi.advanceTimersByTime(1);
        expect(fakeSocket.connect).toHaveBeenCalledTimes(1);
        fakeSocket.connect.mockClear();
      }
      expect(onSessionEnded).not.toHaveBeenCalled();

      // Connected again: the banner goes, and a later refusal starts from 1 s again.
      fakeSocket.handlers.get('connect')!();
      expect(connection.isLost).toBe(false);
      refused();
      vi.advanceTimersByTime(1_000);
      expect(fakeSocket.connect).toHaveBeenCalledTimes(1);
      disconnectRealtime();
      expect(connection.isLost).toBe(false);
    });

    it('waits between half and all of each step, at random', () => {
      expect(retryDelayMs(0, () => 0)).toBe(500);
      expect(retryDelayMs(0, () => 1)).toBe(1_000);
      expect(retryDelayMs(3, () => 0.5)).toBe(6_000);
      expect(retryDelayMs(50, () => 0)).toBe(15_000);
      expect(retryDelayMs(50, () => 1)).toBe(30_000);
    });

    it('sends the user to sign in only on UNAUTHENTICATED, and stops retrying', () => {
      const onSessionEnded = vi.fn();
      connectRealtime('jwt', onSessionEnded);
      fakeSocket.handlers.get('connect_error')!(new Error('UNAVAILABLE'));
      expect(onSessionEnded).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1_000);
      expect(fakeSocket.connect).toHaveBeenCalledTimes(1);

      fakeSocket.handlers.get('connect_error')!(new Error('UNAUTHENTICATED'));
      expect(onSessionEnded).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(60_000);
      expect(fakeSocket.connect).toHaveBeenCalledTimes(1);
      disconnectRealtime();
    });

    it('stops retrying once disconnected (signed out)', () => {
      connectRealtime('jwt');
      fakeSocket.handlers.get('connect_error')!(new Error('UNAVAILABLE'));
      disconnectRealtime();
      vi.advanceTimersByTime(60_000);
      expect(fakeSocket.connect).not.toHaveBeenCalled();
    });
  });

  it('shows the banner while the connection is lost, until it is back', () => {
    connectRealtime('jwt');
    const connection = useRealtimeConnectionStore();
    fakeSocket.handlers.get('disconnect')!('transport close'); // the API restarts, say
    expect(connection.isLost).toBe(true);
    fakeSocket.handlers.get('connect')!();
    expect(connection.isLost).toBe(false);
    disconnectRealtime();
  });
});
