import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  fromAddress,
  randomClientAddress,
  signUpTenant,
  uniqueEmail,
  useTestApi,
} from '../../testing/test-api.js';
import { LOGIN_LIMITS } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';

// X-Forwarded-For names the client: each test signs in and up from addresses of its own.
const api = useTestApi({ TRUST_PROXY: 'true', SIGNUP_LIMIT_PER_HOUR: '5' });

function logIn(email: string, password: string, address = randomClientAddress()) {
  return api.request('POST', '/api/auth/login', {
    body: { email, password },
    headers: fromAddress(address),
  });
}

function signUp(body: Record<string, unknown>, address = randomClientAddress()) {
  return api.request('POST', '/api/auth/signup', { body, headers: fromAddress(address) });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sign up', () => {
  it('creates a tenant whose first user is its admin, and signs them in', async () => {
    const email = uniqueEmail('Founder');
    const response = await signUp({
      tenantName: '  Acme Support ',
      name: 'Ann',
      email,
      password: 'long enough',
    });
    expect(response.status).toBe(201);
    expect(response.body.user).toEqual({
      id: expect.any(String),
      email: email.toLowerCase(),
      name: 'Ann',
      role: 'admin',
      status: 'offline',
      maxChats: null,
      departmentIds: [],
      twoFactorEnabled: false,
      twoFactorSetupRequired: false,
      createdAt: expect.any(String),
    });
    expect(response.body.tenant).toMatchObject({ name: 'Acme Support', defaultMaxChats: 5 });
    expect(response.body.tenant.key).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(response.body.tenant.callbackUrl).toBe(
      `http://localhost:5001/api/webhooks/facebook/${response.body.tenant.key}`,
    );
    expect(JSON.stringify(response.body)).not.toMatch(/password/i);
  });

  it('refuses an email that already has an account, whatever its case', async () => {
    const email = uniqueEmail();
    const body = { tenantName: 'One', name: 'A', email, password: 'long enough' };
    expect((await signUp(body)).status).toBe(201);
    const again = await signUp({ ...body, email: email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('EMAIL_TAKEN');
  });

  it('explains every invalid field', async () => {
    const response = await signUp({ tenantName: '', name: 'A', email: 'not-an-email' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(response.body.error.details.fields).sort()).toEqual([
      'email',
      'password',
      'tenantName',
    ]);
  });

  it('refuses short and common passwords with WEAK_PASSWORD, naming every invalid field', async () => {
    const base = { tenantName: 'Weak Co', name: 'A', email: uniqueEmail() };
    const short = await signUp({ ...base, password: 'nine char' });
    expect(short.status).toBe(400);
    expect(short.body.error).toEqual({
      code: 'WEAK_PASSWORD',
      message: 'Use at least 10 characters.',
      details: { fields: { password: 'Use at least 10 characters.' } },
    });
    for (const password of ['password123', 'QWERTYUIOP', '1234567890', 'iloveyou12']) {
      const common = await signUp({ ...base, password });
      expect(common.status, password).toBe(400);
      expect(common.body.error.code, password).toBe('WEAK_PASSWORD');
      expect(common.body.error.details.fields.password).toMatch(/most common/);
    }
    const alongOtherMistakes = await signUp({ ...base, email: 'nope', password: 'short' });
    expect(alongOtherMistakes.body.error.code).toBe('WEAK_PASSWORD');
    expect(Object.keys(alongOtherMistakes.body.error.details.fields).sort()).toEqual([
      'email',
      'password',
    ]);
    expect((await signUp({ ...base, password: 'ten chars!' })).status).toBe(201);
  });

  it('holds operators created by an admin to the same password rule', async () => {
    const admin = await signUpTenant(api);
    const response = await api.request('POST', '/api/operators', {
      token: admin.token,
      body: { email: uniqueEmail(), name: 'Weak', password: 'password1234', role: 'operator' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('WEAK_PASSWORD');
  });

  it('is limited per address: a flood gets 429 with Retry-After, other addresses carry on', async () => {
    const address = randomClientAddress();
    const attempt = () =>
      signUp(
        { tenantName: 'Flood', name: 'F', email: uniqueEmail('flood'), password: 'flood password' },
        address,
      );
    const responses = await Promise.all(Array.from({ length: 8 }, attempt));
    expect(responses.map((response) => response.status).sort()).toEqual([
      201, 201, 201, 201, 201, 429, 429, 429,
    ]);
    const refused = responses.find((response) => response.status === 429)!;
    expect(refused.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(55 * 60);
    expect(Number(refused.headers.get('retry-after'))).toBe(
      refused.body.error.details.retryAfterSeconds,
    );
    // The same /64 is the same subscriber.
    const sameNetwork = address.replace(/::1$/, '::2');
    expect(
      (
        await signUp(
          { tenantName: 'X', name: 'X', email: uniqueEmail(), password: 'flood password' },
          sameNetwork,
        )
      ).status,
    ).toBe(429);
    const elsewhere = await signUp({
      tenantName: 'Elsewhere',
      name: 'E',
      email: uniqueEmail(),
      password: 'flood password',
    });
    expect(elsewhere.status).toBe(201);
  });
});

describe('log in', () => {
  it('signs in with the right password, case-insensitively on the email', async () => {
    const admin = await signUpTenant(api);
    const response = await logIn(admin.user.email.toUpperCase(), admin.password);
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(admin.user.id);
    expect(response.body.token).toEqual(expect.any(String));
  });

  it('answers the same 401 for a wrong password and an unknown email', async () => {
    const admin = await signUpTenant(api);
    const wrongPassword = await logIn(admin.user.email, 'wrong password');
    const unknownEmail = await logIn(uniqueEmail('nobody'), 'whatever1');
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.status).toBe(401);
      expect(response.body.error).toEqual({
        code: 'INVALID_CREDENTIALS',
        message: 'Wrong email or password.',
      });
    }
  });
});

describe('the signed-in user', () => {
  it('reads who they are', async () => {
    const admin = await signUpTenant(api, 'Me Co');
    const response = await api.request('GET', '/api/me', { token: admin.token });
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(admin.user.id);
    expect(response.body.tenant.name).toBe('Me Co');
  });

  it('needs a valid token', async () => {
    expect((await api.request('GET', '/api/me')).body.error.code).toBe('UNAUTHENTICATED');
    const garbage = await api.request('GET', '/api/me', { token: 'garbage' });
    expect(garbage.status).toBe(401);
  });

  it('loses access as soon as the account is deleted', async () => {
    const admin = await signUpTenant(api);
    const operator = await api.request('POST', '/api/operators', {
      token: admin.token,
      body: { email: uniqueEmail(), name: 'Bob', password: 'bob password', role: 'operator' },
    });
    const login = await api.request('POST', '/api/auth/login', {
      body: { email: operator.body.email, password: 'bob password' },
    });
    await api.request('DELETE', `/api/operators/${operator.body.id}`, { token: admin.token });
    const response = await api.request('GET', '/api/me', { token: login.body.token });
    expect(response.status).toBe(401);
  });

  it('switches between online, away and offline', async () => {
    const admin = await signUpTenant(api);
    for (const status of ['online', 'away', 'offline']) {
      const response = await api.request('PUT', '/api/me/status', {
        token: admin.token,
        body: { status },
      });
      expect(response.status).toBe(200);
      expect(response.body.user.status).toBe(status);
    }
    const me = await api.request('GET', '/api/me', { token: admin.token });
    expect(me.body.user.status).toBe('offline');
    const invalid = await api.request('PUT', '/api/me/status', {
      token: admin.token,
      body: { status: 'busy' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.fields.status).toEqual(expect.any(String));
  });
});

describe('tenant settings', () => {
  it('lets an admin rename the business and change the default capacity', async () => {
    const admin = await signUpTenant(api);
    const response = await api.request('PATCH', '/api/tenant', {
      token: admin.token,
      body: { name: 'Renamed', defaultMaxChats: 8 },
    });
    expect(response.status).toBe(200);
    expect(response.body.tenant).toMatchObject({
      name: 'Renamed',
      defaultMaxChats: 8,
      key: admin.tenant.key,
    });
    const invalid = await api.request('PATCH', '/api/tenant', {
      token: admin.token,
      body: { defaultMaxChats: 0 },
    });
    expect(invalid.status).toBe(400);
    const tooShort = await api.request('PATCH', '/api/tenant', {
      token: admin.token,
      body: { firstResponseTimeoutSeconds: 5 },
    });
    expect(tooShort.body.error.details.fields).toEqual({
      firstResponseTimeoutSeconds: 'Use at least 15 seconds.',
    });
  });
});

describe('password guessing', () => {
  const { perEmailAndAddress, perAddress, perEmailFromNewAddresses } = LOGIN_LIMITS;

  it('is stopped after 5 failures for an email from an address, even with the right password next', async () => {
    const admin = await signUpTenant(api);
    const address = randomClientAddress();
    for (let attempt = 1; attempt <= perEmailAndAddress.points; attempt++) {
      expect((await logIn(admin.user.email, `guess ${attempt}`, address)).status).toBe(401);
    }
    const blocked = await logIn(admin.user.email, admin.password, address);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      message: 'Too many failed sign-ins. Try again in 15 minutes.',
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(blocked.headers.get('retry-after')).toBe(
      String(blocked.body.error.details.retryAfterSeconds),
    );

    const someoneElse = await signUpTenant(api);
    expect((await logIn(someoneElse.user.email, someoneElse.password, address)).status).toBe(200);
  });

  it('checks at most the limit of 30 simultaneous guesses; the rest get 429 with Retry-After', async () => {
    const admin = await signUpTenant(api);
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');
    const address = randomClientAddress();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, index) => logIn(admin.user.email, `guess ${index}`, address)),
    );
    expect(verify).toHaveBeenCalledTimes(perEmailAndAddress.points);
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(perEmailAndAddress.points);
    expect(statuses.filter((status) => status === 429)).toHaveLength(
      30 - perEmailAndAddress.points,
    );
    for (const response of responses.filter((each) => each.status === 429)) {
      expect(response.body.error.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    }
  });

  it("cannot lock a user out from elsewhere: failures from one address leave another's sign-in alone", async () => {
    const admin = await signUpTenant(api);
    const attacker = randomClientAddress();
    for (let attempt = 0; attempt < perEmailAndAddress.points + 3; attempt++) {
      await logIn(admin.user.email, `guess ${attempt}`, attacker);
    }
    expect((await logIn(admin.user.email, admin.password, attacker)).status).toBe(429);
    expect((await logIn(admin.user.email, admin.password, randomClientAddress())).status).toBe(200);
  });

  it('forgets earlier failures from an address after a successful sign-in from it', async () => {
    const admin = await signUpTenant(api);
    const address = randomClientAddress();
    const fail = () => logIn(admin.user.email, 'wrong one', address);
    for (let attempt = 0; attempt < 4; attempt++) await fail();
    expect((await logIn(admin.user.email, admin.password, address)).status).toBe(200);
    for (let attempt = 0; attempt < 4; attempt++) expect((await fail()).status).toBe(401);
  });

  it('limits one address spraying guesses over many accounts', async () => {
    const address = randomClientAddress();
    const responses = await Promise.all(
      Array.from({ length: perAddress.points + 5 }, () =>
        logIn(uniqueEmail('sprayed'), 'a guess', address),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(perAddress.points);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
  });

  it('bounds guessing spread over many addresses, except from where the user signed in before', async () => {
    const admin = await signUpTenant(api);
    const home = randomClientAddress();
    expect((await logIn(admin.user.email, admin.password, home)).status).toBe(200);
    const botnet = Array.from(
      { length: Math.ceil(perEmailFromNewAddresses.points / perEmailAndAddress.points) + 1 },
      randomClientAddress,
    );
    const verify = vi.spyOn(PasswordHasher.prototype, 'verify');
    await Promise.all(
      botnet.map(async (address) => {
        for (let attempt = 0; attempt < perEmailAndAddress.points; attempt++) {
          await logIn(admin.user.email, `guess ${attempt}`, address);
        }
      }),
    );
    expect(verify).toHaveBeenCalledTimes(perEmailFromNewAddresses.points);
    expect((await logIn(admin.user.email, admin.password, randomClientAddress())).status).toBe(429);
    expect((await logIn(admin.user.email, admin.password, home)).status).toBe(200);
  });
});
