import { describe, expect, it } from 'vitest';
import { signUpTenant, useTestApi, uniqueEmail } from '../../test/test-api.js';

const api = useTestApi();

describe('sign up', () => {
  it('creates a tenant whose first user is its admin, and signs them in', async () => {
    const email = uniqueEmail('Founder');
    const response = await api.request('POST', '/api/auth/signup', {
      body: { tenantName: '  Acme Support ', name: 'Ann', email, password: 'long enough' },
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
    expect((await api.request('POST', '/api/auth/signup', { body })).status).toBe(201);
    const again = await api.request('POST', '/api/auth/signup', {
      body: { ...body, email: email.toUpperCase() },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('EMAIL_TAKEN');
  });

  it('explains every invalid field', async () => {
    const response = await api.request('POST', '/api/auth/signup', {
      body: { tenantName: '', name: 'A', email: 'not-an-email', password: 'short' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(response.body.error.details.fields).sort()).toEqual([
      'email',
      'password',
      'tenantName',
    ]);
    expect(response.body.error.details.fields.password).toBe('Use at least 8 characters.');
  });
});

describe('log in', () => {
  it('signs in with the right password, case-insensitively on the email', async () => {
    const admin = await signUpTenant(api);
    const response = await api.request('POST', '/api/auth/login', {
      body: { email: admin.user.email.toUpperCase(), password: admin.password },
    });
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(admin.user.id);
    expect(response.body.token).toEqual(expect.any(String));
  });

  it('answers the same 401 for a wrong password and an unknown email', async () => {
    const admin = await signUpTenant(api);
    const wrongPassword = await api.request('POST', '/api/auth/login', {
      body: { email: admin.user.email, password: 'wrong password' },
    });
    const unknownEmail = await api.request('POST', '/api/auth/login', {
      body: { email: uniqueEmail('nobody'), password: 'whatever1' },
    });
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
  it('is stopped after 5 failures for an email, even with the right password next', async () => {
    const admin = await signUpTenant(api);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await api.request('POST', '/api/auth/login', {
        body: { email: admin.user.email, password: `guess ${attempt}` },
      });
      expect(response.status).toBe(401);
    }
    const blocked = await api.request('POST', '/api/auth/login', {
      body: { email: admin.user.email, password: admin.password },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      message: 'Too many failed sign-ins. Try again in 15 minutes.',
      details: { retryAfterSeconds: expect.any(Number) },
    });

    const someoneElse = await signUpTenant(api);
    const unaffected = await api.request('POST', '/api/auth/login', {
      body: { email: someoneElse.user.email, password: someoneElse.password },
    });
    expect(unaffected.status).toBe(200);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const admin = await signUpTenant(api);
    const fail = () =>
      api.request('POST', '/api/auth/login', {
        body: { email: admin.user.email, password: 'wrong one' },
      });
    for (let attempt = 0; attempt < 4; attempt++) await fail();
    const success = await api.request('POST', '/api/auth/login', {
      body: { email: admin.user.email, password: admin.password },
    });
    expect(success.status).toBe(200);
    for (let attempt = 0; attempt < 4; attempt++) expect((await fail()).status).toBe(401);
  });
});
