import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { makeTenant, makeUser } from '@/test/factories';
import { TOKEN_STORAGE_KEY, useSessionStore } from './session';

function useWiredSessionStore() {
  const session = useSessionStore();
  // The same bridge main.ts installs, minus the navigation.
  configureHttpAuth({ getToken: () => session.token, onUnauthenticated: session.clearSession });
  return session;
}

describe('session store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('login stores the token (memory and localStorage), the user and the tenant', async () => {
    const user = makeUser({ role: 'admin' });
    const tenant = makeTenant();
    const { requests } = stubFetch({
      'POST /api/auth/login': jsonResponse(200, { token: 'jwt-1', user, tenant }),
    });
    const session = useWiredSessionStore();

    const loggedIn = await session.login({ email: user.email, password: 'secret123' });

    expect(loggedIn).toEqual(user);
    expect(session.token).toBe('jwt-1');
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('jwt-1');
    expect(session.user).toEqual(user);
    expect(session.tenant).toEqual(tenant);
    expect(session.isAuthenticated).toBe(true);
    expect(session.isAdmin).toBe(true);
    expect(requests[0]?.body).toEqual({ email: user.email, password: 'secret123' });
  });

  it('a failed login leaves no session behind', async () => {
    stubFetch({ 'POST /api/auth/login': errorResponse(401, 'INVALID_CREDENTIALS') });
    const session = useWiredSessionStore();

    await expect(session.login({ email: 'a@b.co', password: 'wrong' })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    expect(session.token).toBeNull();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('signup starts a session like login', async () => {
    const user = makeUser({ role: 'admin' });
    stubFetch({
      'POST /api/auth/signup': jsonResponse(201, { token: 'jwt-new', user, tenant: makeTenant() }),
    });
    const session = useWiredSessionStore();

    await session.signup({
      tenantName: 'Acme',
      name: 'Ann',
      email: 'ann@acme.io',
      password: 'p4ssword',
    });

    expect(session.isAuthenticated).toBe(true);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('jwt-new');
  });

  it('logout goes offline first, forgets the session, then ends the token on the server', async () => {
    const user = makeUser({ status: 'online' });
    const { requests } = stubFetch({
      'POST /api/auth/login': jsonResponse(200, { token: 'jwt-1', user, tenant: makeTenant() }),
      'PUT /api/me/status': jsonResponse(200, { user: { ...user, status: 'offline' } }),
      'POST /api/auth/logout': () => {
        expect(session.token).toBeNull(); // the panel's socket closes before the server cuts it
        return new Response(null, { status: 204 });
      },
    });
    const session = useWiredSessionStore();
    await session.login({ email: user.email, password: 'secret123' });

    await session.logout();

    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/auth/login',
      'PUT /api/me/status',
      'POST /api/auth/logout',
    ]);
    expect(requests[1]?.body).toEqual({ status: 'offline' });
    expect(requests[2]?.headers.Authorization).toBe('Bearer jwt-1');
    expect(session.token).toBeNull();
    expect(session.user).toBeNull();
    expect(session.tenant).toBeNull();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('logout still clears the session when the server calls fail', async () => {
    const user = makeUser({ status: 'away' });
    stubFetch({
      'POST /api/auth/login': jsonResponse(200, { token: 'jwt-1', user, tenant: makeTenant() }),
      'PUT /api/me/status': errorResponse(500, 'INTERNAL'),
      'POST /api/auth/logout': errorResponse(401, 'UNAUTHENTICATED'),
    });
    const session = useWiredSessionStore();
    await session.login({ email: user.email, password: 'secret123' });

    await session.logout();

    expect(session.token).toBeNull();
  });

  it('restore reads the token from localStorage and loads the user with GET /api/me', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'stored-jwt');
    const user = makeUser();
    const tenant = makeTenant();
    const { requests } = stubFetch({ 'GET /api/me': jsonResponse(200, { user, tenant }) });
    const session = useWiredSessionStore();

    expect(session.token).toBe('stored-jwt');
    expect(session.isAuthenticated).toBe(false);
    await session.restore();

    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.Authorization).toBe('Bearer stored-jwt');
    expect(session.user).toEqual(user);
    expect(session.tenant).toEqual(tenant);
    expect(session.isAuthenticated).toBe(true);
  });

  it('restore shares one request between concurrent callers and skips when already loaded', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'stored-jwt');
    const { requests } = stubFetch({
      'GET /api/me': jsonResponse(200, { user: makeUser(), tenant: makeTenant() }),
    });
    const session = useWiredSessionStore();

    await Promise.all([session.restore(), session.restore()]);
    await session.restore();

    expect(requests).toHaveLength(1);
  });

  it('restore with a rejected token clears it', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'expired-jwt');
    stubFetch({ 'GET /api/me': errorResponse(401, 'UNAUTHENTICATED') });
    const session = useWiredSessionStore();

    await session.restore();

    expect(session.token).toBeNull();
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('restore keeps the token when the server is unreachable, to try again later', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, 'stored-jwt');
    stubFetch({ 'GET /api/me': () => Promise.reject(new TypeError('Failed to fetch')) });
    const session = useWiredSessionStore();

    await session.restore();

    expect(session.token).toBe('stored-jwt');
    expect(session.isAuthenticated).toBe(false);
  });

  it('restore without a stored token does not call the API', async () => {
    const { fetchMock } = stubFetch({});
    const session = useWiredSessionStore();

    await session.restore();

    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('setStatus moves at once and keeps the server copy', async () => {
    const user = makeUser({ status: 'offline' });
    let release: (response: Response) => void = () => {};
    stubFetch({
      'POST /api/auth/login': jsonResponse(200, { token: 'jwt', user, tenant: makeTenant() }),
      'PUT /api/me/status': () => new Promise<Response>((resolve) => (release = resolve)),
    });
    const session = useWiredSessionStore();
    await session.login({ email: user.email, password: 'secret123' });

    const pending = session.setStatus('online');
    expect(session.status).toBe('online');
    expect(session.isChangingStatus).toBe(true);
    release(jsonResponse(200, { user: { ...user, status: 'online' } }));
    await pending;

    expect(session.status).toBe('online');
    expect(session.isChangingStatus).toBe(false);
  });

  it('setStatus reverts when the server refuses', async () => {
    const user = makeUser({ status: 'away' });
    stubFetch({
      'POST /api/auth/login': jsonResponse(200, { token: 'jwt', user, tenant: makeTenant() }),
      'PUT /api/me/status': errorResponse(400, 'VALIDATION_FAILED'),
    });
    const session = useWiredSessionStore();
    await session.login({ email: user.email, password: 'secret123' });

    await expect(session.setStatus('online')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    expect(session.status).toBe('away');
  });

  it('applies realtime updates of the current user only', async () => {
    const user = makeUser({ status: 'offline' });
    stubFetch({
      'POST /api/auth/login': jsonResponse(200, { token: 'jwt', user, tenant: makeTenant() }),
    });
    const session = useWiredSessionStore();
    await session.login({ email: user.email, password: 'secret123' });

    session.applyUserUpdate(makeUser({ status: 'online' }));
    expect(session.status).toBe('offline');
    session.applyUserUpdate({ ...user, status: 'away' });
    expect(session.status).toBe('away');
  });
});
