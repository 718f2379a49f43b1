import { decodeJwt, SignJWT } from 'jose';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from './login-throttle.js';
import {
  connectSocket,
  disconnected,
  createOperator,
  signUpTenant,
  startTestApi,
  useTestApi,
  type TestApi,
} from '../../testing/test-api.js';

const api = useTestApi();
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((socket) => socket.disconnect()));

const connect = (token: string, on: TestApi = api) => connectSocket(on, token, sockets);

const me = (token: string) => api.request('GET', '/api/me', { token });

async function logIn(email: string, password: string): Promise<string> {
  const response = await api.request('POST', '/api/auth/login', { body: { email, password } });
  expect(response.status).toBe(200);
  return response.body.token as string;
}

/** A live socket: its own status change comes back to it through the tenant's room. */
async function isAlive(socket: Socket, token: string): Promise<boolean> {
  const echo = new Promise((resolve) => socket.once('operator.updated', resolve));
  await api.request('PUT', '/api/me/status', { token, body: { status: 'away' } });
  await api.request('PUT', '/api/me/status', { token, body: { status: 'offline' } });
  return socket.connected && (await echo) !== undefined;
}

describe('tokens', () => {
  it('refuses a well-signed token without an expiry, on REST and socket.io', async () => {
    const admin = await signUpTenant(api);
    const claims = decodeJwt(admin.token);
    const { exp, ...withoutExpiry } = claims;
    expect(exp).toEqual(expect.any(Number));
    const forever = await new SignJWT(withoutExpiry)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(api.config.jwtSecret));

    expect((await me(admin.token)).status).toBe(200);
    expect((await me(forever)).status).toBe(401);
    await expect(connect(forever)).rejects.toThrow('UNAUTHENTICATED');
  });
});

describe('logout', () => {
  it('ends that token at once (REST 401, its sockets cut) while other sessions go on', async () => {
    const admin = await signUpTenant(api);
    const laptop = admin.token;
    const phone = await logIn(admin.user.email, admin.password);
    const laptopSocket = await connect(laptop);
    const phoneSocket = await connect(phone);
    const laptopCut = disconnected(laptopSocket);

    const response = await api.request('POST', '/api/auth/logout', { token: laptop });
    expect(response.status).toBe(204);

    expect(await laptopCut).toBe('io server disconnect');
    expect((await me(laptop)).status).toBe(401);
    await expect(connect(laptop)).rejects.toThrow('UNAUTHENTICATED');
    expect((await me(phone)).status).toBe(200);
    expect(await isAlive(phoneSocket, phone)).toBe(true);
  });

  it('needs a session to end', async () => {
    expect((await api.request('POST', '/api/auth/logout')).status).toBe(401);
  });
});

describe('changing one’s password', () => {
  it('ends every other session (REST and sockets) and keeps the caller’s', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    const password = 'operator password';
    const other = await logIn(operator.user.email, password);
    const callerSocket = await connect(operator.token);
    const otherSocket = await connect(other);
    const otherCut = disconnected(otherSocket);

    const response = await api.request('PUT', '/api/me/password', {
      token: operator.token,
      body: { currentPassword: password, newPassword: 'a brand new passphrase' },
    });
    expect(response.status).toBe(204);

    expect(await otherCut).toBe('io server disconnect');
    expect((await me(other)).status).toBe(401);
    await expect(connect(other)).rejects.toThrow('UNAUTHENTICATED');
    expect((await me(operator.token)).status).toBe(200);
    expect(await isAlive(callerSocket, operator.token)).toBe(true);

    const oldPassword = await api.request('POST', '/api/auth/login', {
      body: { email: operator.user.email, password },
    });
    expect(oldPassword.status).toBe(401);
    await logIn(operator.user.email, 'a brand new passphrase');
  });

  it('refuses a wrong current password (400 WRONG_PASSWORD) and changes nothing', async () => {
    const admin = await signUpTenant(api);
    const other = await logIn(admin.user.email, admin.password);
    const response = await api.request('PUT', '/api/me/password', {
      token: admin.token,
      body: { currentPassword: 'not my password', newPassword: 'a brand new passphrase' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('WRONG_PASSWORD');
    expect((await me(other)).status).toBe(200);
    await logIn(admin.user.email, admin.password);
  });

  it('counts wrong current passwords like sign-ins: a held session cannot guess at speed', async () => {
    const admin = await signUpTenant(api);
    const guesses = await Promise.all(
      Array.from({ length: LOGIN_LIMITS.perEmailAndAddress.points + 3 }, (_, attempt) =>
        api.request('PUT', '/api/me/password', {
          token: admin.token,
          body: {
            currentPassword: `guess number ${attempt}`,
            newPassword: 'a brand new passphrase',
          },
        }),
      ),
    );
    const statuses = guesses.map((response) => response.status);
    expect(statuses.filter((status) => status === 400)).toHaveLength(
      LOGIN_LIMITS.perEmailAndAddress.points,
    );
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
  });

  it('validates the new password with the sign-up rules', async () => {
    const admin = await signUpTenant(api);
    const response = await api.request('PUT', '/api/me/password', {
      token: admin.token,
      body: { currentPassword: admin.password, newPassword: 'short' },
    });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.details?.fields ?? {})).toEqual(['newPassword']);
  });

  it('set by an admin ends all of that user’s sessions', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    const socket = await connect(operator.token);
    const cut = disconnected(socket);
    const response = await api.request('PATCH', `/api/operators/${operator.user.id}`, {
      token: admin.token,
      body: { password: 'set by the admin' },
    });
    expect(response.status).toBe(200);
    expect(await cut).toBe('io server disconnect');
    expect((await me(operator.token)).status).toBe(401);
  });
});

describe('expiry', () => {
  it('disconnects a socket when its token expires', async () => {
    const shortLived = await startTestApi({ JWT_TTL_SECONDS: '2' });
    try {
      const admin = await signUpTenant(shortLived);
      const socket = await connect(admin.token, shortLived);
      const started = Date.now();
      expect(await disconnected(socket)).toBe('io server disconnect');
      expect(Date.now() - started).toBeLessThan(3_000);
      const response = await shortLived.request('GET', '/api/me', { token: admin.token });
      expect(response.status).toBe(401);
    } finally {
      await shortLived.stop();
    }
  });
});

describe('the contract', () => {
  it('documents logout and the password change in the OpenAPI document', async () => {
    const { body } = await api.request('GET', '/api/openapi.json');
    expect(body.paths['/api/auth/logout'].post.responses).toHaveProperty('204');
    expect(body.paths['/api/me/password'].put.responses).toHaveProperty('400');
  });
});
