import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  connectSocket,
  createOperator,
  disconnected,
  fromAddress,
  randomClientAddress,
  signUpTenant,
  useTestApi,
  type SignedIn,
} from '../../testing/test-api.js';
import { LOGIN_LIMITS } from './login-throttle.js';
import { totpCodeAt } from './totp.js';

// X-Forwarded-For names the client: each test signs in from addresses of its own.
const api = useTestApi({ TRUST_PROXY: 'true' });
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((socket) => socket.disconnect()));

const STEP_MS = 30_000;

/**
 * The api runs in this process, so a fake clock (Date only: timers, sockets and Redis keep
 * real time) is the server's clock too. Each test starts 5 s into a TOTP step and moves whole
 * steps on, so a code's step never turns over while a request is on its way.
 */
let now: number;
beforeEach(() => {
  now = Math.floor(Date.now() / STEP_MS) * STEP_MS + 5_000;
  vi.useFakeTimers({ toFake: ['Date'], now });
});
afterEach(() => vi.useRealTimers());

function advanceSteps(steps: number): void {
  now += steps * STEP_MS;
  vi.setSystemTime(now);
}

/** The code an authenticator app with `secret` shows, `steps` steps from the server's now. */
const codeOf = (secret: string, steps = 0) => totpCodeAt(secret, new Date(now + steps * STEP_MS));

function logIn(email: string, password: string, code?: string, address = randomClientAddress()) {
  return api.request('POST', '/api/auth/login', {
    body: { email, password, ...(code === undefined ? {} : { code }) },
    headers: fromAddress(address),
  });
}

const me = (token: string) => api.request('GET', '/api/me', { token });

function post(path: string, token: string, body?: unknown) {
  return api.request('POST', path, { token, body, headers: fromAddress(randomClientAddress()) });
}

/** Sets up and turns on two-factor for a signed-in user; their secret and recovery codes. */
async function enableTwoFactor(
  token: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await post('/api/me/2fa/setup', token);
  expect(setup.status).toBe(200);
  const enabled = await post('/api/me/2fa/enable', token, { code: codeOf(setup.body.secret) });
  expect(enabled.status).toBe(200);
  return { secret: setup.body.secret as string, recoveryCodes: enabled.body.recoveryCodes };
}

async function sealedColumnsOf(userId: string) {
  const [row] = await api.orm.em.getConnection().execute<Record<string, unknown>[]>(
    `select two_factor_secret_sealed, two_factor_pending_secret_sealed,
              two_factor_recovery_code_digests from app_user where id = ?`,
    [userId],
  );
  return row!;
}

describe('two-factor sign-in', () => {
  it('sets up, turns on, asks for the code at sign-in, refuses wrong and replayed codes, spends recovery codes once, turns off', async () => {
    const admin = await signUpTenant(api);
    const { email } = admin.user;
    const phone = (await logIn(email, admin.password)).body.token as string;

    const setup = await post('/api/me/2fa/setup', admin.token);
    expect(setup.status).toBe(200);
    const secret = setup.body.secret as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(setup.body.otpauthUrl as string);
    expect(url.protocol).toBe('otpauth:');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      secret,
      issuer: 'Omni',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    // Pending until confirmed: sign-in does not change, and the secret is sealed at rest.
    expect((await me(admin.token)).body.user.twoFactorEnabled).toBe(false);
    expect((await logIn(email, admin.password)).status).toBe(200);
    const pending = await sealedColumnsOf(admin.user.id);
    expect(pending['two_factor_pending_secret_sealed']).toMatch(/^v2\./);
    expect(JSON.stringify(pending)).not.toContain(secret);

    const wrongConfirmation = await post('/api/me/2fa/enable', admin.token, { code: '000000' });
    expect(wrongConfirmation.status).toBe(400);
    expect(wrongConfirmation.body.error.code).toBe('INVALID_TWO_FACTOR_CODE');

    // A phone a step behind is tolerated.
    const enabled = await post('/api/me/2fa/enable', admin.token, { code: codeOf(secret, -1) });
    expect(enabled.status).toBe(200);
    const recoveryCodes = enabled.body.recoveryCodes as string[];
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await sealedColumnsOf(admin.user.id);
    expect(stored['two_factor_secret_sealed']).toMatch(/^v2\./);
    expect(stored['two_factor_pending_secret_sealed']).toBeNull();
    expect(JSON.stringify(stored)).not.toContain(secret);
    for (const recoveryCode of recoveryCodes) {
      expect(JSON.stringify(stored)).not.toContain(recoveryCode);
    }
    // The caller's session goes on, the user's others end; the secret is never shown again.
    expect((await me(admin.token)).body.user.twoFactorEnabled).toBe(true);
    expect((await me(phone)).status).toBe(401);
    const again = await post('/api/me/2fa/setup', admin.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TWO_FACTOR_ALREADY_ENABLED');
    expect(JSON.stringify((await me(admin.token)).body)).not.toContain(secret);

    const withoutCode = await logIn(email, admin.password);
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.error.code).toBe('TWO_FACTOR_REQUIRED');
    expect(withoutCode.body).not.toHaveProperty('token');
    // A wrong password says nothing about a second factor.
    const wrongPassword = await logIn(email, 'not the password');
    expect(wrongPassword.body.error.code).toBe('INVALID_CREDENTIALS');
    expect((await logIn(email, 'not the password', codeOf(secret))).body.error.code).toBe(
      'INVALID_CREDENTIALS',
    );

    const wrongCode = await logIn(email, admin.password, '123456');
    expect(wrongCode.status).toBe(401);
    expect(wrongCode.body.error.code).toBe('INVALID_TWO_FACTOR_CODE');
    // The confirmation's code was spent: replayed, it is a wrong code.
    const replayedConfirmation = await logIn(email, admin.password, codeOf(secret, -1));
    expect(replayedConfirmation.body.error.code).toBe('INVALID_TWO_FACTOR_CODE');
    // Two steps off is too far.
    expect((await logIn(email, admin.password, codeOf(secret, 2))).status).toBe(401);

    const signedIn = await logIn(email, admin.password, codeOf(secret));
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({
      twoFactorEnabled: true,
      twoFactorSetupRequired: false,
    });
    expect((await me(signedIn.body.token)).status).toBe(200);
    const replayed = await logIn(email, admin.password, codeOf(secret));
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('INVALID_TWO_FACTOR_CODE');
    // An earlier step than the last one accepted is refused too, even inside the window.
    advanceSteps(1);
    expect((await logIn(email, admin.password, codeOf(secret, -1))).status).toBe(401);
    expect((await logIn(email, admin.password, codeOf(secret))).status).toBe(200);

    // A recovery code works once, typed in any case, with or without its dash.
    const [first, second] = recoveryCodes as [string, string];
    const byRecovery = await logIn(email, admin.password, first.toUpperCase().replace('-', ' '));
    expect(byRecovery.status).toBe(200);
    const spent = await logIn(email, admin.password, first);
    expect(spent.status).toBe(401);
    expect(spent.body.error.code).toBe('INVALID_TWO_FACTOR_CODE');

    // Turning it off needs a code too, and ends the other sessions.
    const other = byRecovery.body.token as string;
    const wrongDisable = await post('/api/me/2fa/disable', admin.token, { code: first });
    expect(wrongDisable.status).toBe(400);
    expect(wrongDisable.body.error.code).toBe('INVALID_TWO_FACTOR_CODE');
    expect((await post('/api/me/2fa/disable', admin.token, { code: second })).status).toBe(204);
    expect((await me(other)).status).toBe(401);
    expect((await me(admin.token)).body.user.twoFactorEnabled).toBe(false);
    expect(await sealedColumnsOf(admin.user.id)).toEqual({
      two_factor_secret_sealed: null,
      two_factor_pending_secret_sealed: null,
      two_factor_recovery_code_digests: [],
    });
    expect((await logIn(email, admin.password)).status).toBe(200);
    const offAgain = await post('/api/me/2fa/disable', admin.token, { code: codeOf(secret, 1) });
    expect(offAgain.body.error.code).toBe('TWO_FACTOR_NOT_ENABLED');
  });

  it('spends a code once when several sign-ins race with it (TOTP and recovery code alike)', async () => {
    const admin = await signUpTenant(api);
    const { secret, recoveryCodes } = await enableTwoFactor(admin.token);
    advanceSteps(1);
    for (const code of [codeOf(secret), recoveryCodes[0]!]) {
      const statuses = await Promise.all(
        Array.from({ length: 4 }, () => logIn(admin.user.email, admin.password, code)),
      );
      expect(statuses.map(({ status }) => status).sort()).toEqual([200, 401, 401, 401]);
    }
  });

  it('turns off with a current code from the app', async () => {
    const admin = await signUpTenant(api);
    const { secret } = await enableTwoFactor(admin.token);
    advanceSteps(1);
    expect((await post('/api/me/2fa/disable', admin.token, { code: codeOf(secret) })).status).toBe(
      204,
    );
  });

  it('needs a started setup before enabling', async () => {
    const admin = await signUpTenant(api);
    const response = await post('/api/me/2fa/enable', admin.token, { code: '123456' });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('TWO_FACTOR_SETUP_NOT_STARTED');
  });

  it('counts wrong codes against the sign-in limit (429), and not the step that asks for the code', async () => {
    const admin = await signUpTenant(api);
    const { secret } = await enableTwoFactor(admin.token);
    advanceSteps(1);
    const address = randomClientAddress();
    const { points } = LOGIN_LIMITS.perEmailAndAddress;
    for (let attempt = 0; attempt < points + 2; attempt++) {
      const asked = await logIn(admin.user.email, admin.password, undefined, address);
      expect(asked.body.error.code).toBe('TWO_FACTOR_REQUIRED');
    }
    for (let attempt = 0; attempt < points; attempt++) {
      const wrong = await logIn(admin.user.email, admin.password, '000000', address);
      expect(wrong.body.error.code).toBe('INVALID_TWO_FACTOR_CODE');
    }
    const blocked = await logIn(admin.user.email, admin.password, codeOf(secret), address);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    // From elsewhere, the right code still signs in.
    expect((await logIn(admin.user.email, admin.password, codeOf(secret))).status).toBe(200);
  });

  it("keeps each user's codes to that user, in and across tenants", async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    const stranger = await signUpTenant(api, 'Other Co');
    const adminFactor = await enableTwoFactor(admin.token);
    const strangerFactor = await enableTwoFactor(stranger.token);

    // The operator, and the other tenant's admin, are not asked for anyone else's code.
    expect((await logIn(operator.user.email, 'operator password')).status).toBe(200);
    expect((await logIn(stranger.user.email, stranger.password)).body.error.code).toBe(
      'TWO_FACTOR_REQUIRED',
    );
    // Another user's recovery code or TOTP code is a wrong code.
    const withAdminsRecovery = await logIn(
      stranger.user.email,
      stranger.password,
      adminFactor.recoveryCodes[0],
    );
    expect(withAdminsRecovery.body.error.code).toBe('INVALID_TWO_FACTOR_CODE');
    advanceSteps(1);
    expect(
      (await logIn(stranger.user.email, stranger.password, codeOf(adminFactor.secret))).status,
    ).toBe(401);
    expect(
      (await logIn(stranger.user.email, stranger.password, codeOf(strangerFactor.secret))).status,
    ).toBe(200);
    // The admin's recovery code was not spent by the stranger's attempt.
    expect(
      (await logIn(admin.user.email, admin.password, adminFactor.recoveryCodes[0])).status,
    ).toBe(200);
    // What the operators list shows of each.
    const listed = await api.request('GET', '/api/operators', { token: admin.token });
    const byId = new Map(
      (listed.body.items ?? listed.body).map((user: { id: string; twoFactorEnabled: boolean }) => [
        user.id,
        user.twoFactorEnabled,
      ]),
    );
    expect(byId.get(admin.user.id)).toBe(true);
    expect(byId.get(operator.user.id)).toBe(false);
  });
});

describe("an admin's reset of a colleague's two-factor", () => {
  it("turns it off, ends the colleague's sessions and is audited; never one's own nor another tenant's", async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    const stranger = await signUpTenant(api, 'Other Co');
    await enableTwoFactor(operator.token);
    await enableTwoFactor(admin.token);
    const reset = (token: string, userId: string) =>
      api.request('DELETE', `/api/operators/${userId}/two-factor`, { token });

    expect((await reset(operator.token, admin.user.id)).status).toBe(403);
    expect((await reset(stranger.token, operator.user.id)).status).toBe(404);
    expect((await reset(admin.token, admin.user.id)).body.error.code).toBe('TWO_FACTOR_RESET_OWN');

    const done = await reset(admin.token, operator.user.id);
    expect(done.status).toBe(200);
    expect(done.body.twoFactorEnabled).toBe(false);
    expect(await sealedColumnsOf(operator.user.id)).toMatchObject({
      two_factor_secret_sealed: null,
      two_factor_recovery_code_digests: [],
    });
    // The colleague's session ended; the password alone signs them in again.
    expect((await me(operator.token)).status).toBe(401);
    expect((await logIn(operator.user.email, 'operator password')).status).toBe(200);
    expect((await reset(admin.token, operator.user.id)).body.error.code).toBe(
      'TWO_FACTOR_NOT_ENABLED',
    );

    const log = await api.request('GET', '/api/audit-log?action=operator.two_factor_reset', {
      token: admin.token,
    });
    expect(log.body.items).toMatchObject([
      { actor: { id: admin.user.id }, target: { type: 'operator', id: operator.user.id } },
    ]);
  });
});

describe('settings.require2faForAdmins', () => {
  async function requireForAdmins(admin: SignedIn, value: boolean) {
    return api.request('PATCH', '/api/settings', {
      token: admin.token,
      body: { require2faForAdmins: value },
    });
  }

  it('is off by default and only an admin changes it', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    const read = await api.request('GET', '/api/settings', { token: operator.token });
    expect(read.body.require2faForAdmins).toBe(false);
    const refused = await api.request('PATCH', '/api/settings', {
      token: operator.token,
      body: { require2faForAdmins: true },
    });
    expect(refused.status).toBe(403);
  });

  it('makes an admin without two-factor set it up before anything else; operators and other tenants go on', async () => {
    const admin = await signUpTenant(api);
    const secondAdmin = await createOperator(api, admin.token, { role: 'admin' });
    const operator = await createOperator(api, admin.token);
    const stranger = await signUpTenant(api, 'Other Co');
    const { secret } = await enableTwoFactor(admin.token);
    const secondAdminSocket = await connectSocket(api, secondAdmin.token, sockets);
    const operatorSocket = await connectSocket(api, operator.token, sockets);
    const secondAdminCut = disconnected(secondAdminSocket);

    const changed = await requireForAdmins(admin, true);
    expect(changed.status).toBe(200);
    expect(changed.body.require2faForAdmins).toBe(true);
    // The admin's live socket is cut at once and cannot come back; operators' stay.
    expect(await secondAdminCut).toBe('io server disconnect');
    await expect(connectSocket(api, secondAdmin.token, sockets)).rejects.toThrow(
      'TWO_FACTOR_SETUP_REQUIRED',
    );
    expect(operatorSocket.connected).toBe(true);
    expect((await api.request('GET', '/api/settings', { token: admin.token })).status).toBe(200);

    // The second admin's session, old or new, may only set up two-factor.
    const departments = await api.request('GET', '/api/departments', { token: secondAdmin.token });
    expect(departments.status).toBe(403);
    expect(departments.body.error.code).toBe('TWO_FACTOR_SETUP_REQUIRED');
    const signedIn = await logIn(secondAdmin.user.email, 'operator password');
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({
      twoFactorEnabled: false,
      twoFactorSetupRequired: true,
    });
    const forced = signedIn.body.token as string;
    expect((await me(forced)).body.user.twoFactorSetupRequired).toBe(true);
    expect((await api.request('GET', '/api/conversations', { token: forced })).status).toBe(403);
    expect(
      (
        await api.request('PATCH', '/api/settings', {
          token: forced,
          body: { require2faForAdmins: false },
        })
      ).body.error.code,
    ).toBe('TWO_FACTOR_SETUP_REQUIRED');
    await expect(connectSocket(api, forced, sockets)).rejects.toThrow('TWO_FACTOR_SETUP_REQUIRED');

    // Operators, admins with two-factor and other tenants are not concerned.
    expect((await api.request('GET', '/api/departments', { token: operator.token })).status).toBe(
      200,
    );
    advanceSteps(1);
    const withCode = await logIn(admin.user.email, admin.password, codeOf(secret));
    expect(withCode.body.user.twoFactorSetupRequired).toBe(false);
    expect(
      (await api.request('GET', '/api/departments', { token: withCode.body.token })).status,
    ).toBe(200);
    expect((await api.request('GET', '/api/departments', { token: stranger.token })).status).toBe(
      200,
    );

    // Setting it up frees the session (the others end, as ever on enabling).
    const setup = await post('/api/me/2fa/setup', forced);
    expect(setup.status).toBe(200);
    const enabled = await post('/api/me/2fa/enable', forced, { code: codeOf(setup.body.secret) });
    expect(enabled.status).toBe(200);
    expect((await me(forced)).body.user).toMatchObject({
      twoFactorEnabled: true,
      twoFactorSetupRequired: false,
    });
    expect((await api.request('GET', '/api/departments', { token: forced })).status).toBe(200);
    expect((await me(secondAdmin.token)).status).toBe(401);

    // Off again: the rule no longer applies to anyone.
    expect((await requireForAdmins(admin, false)).body.require2faForAdmins).toBe(false);
  });
});
