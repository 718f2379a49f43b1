import { describe, expect, it } from 'vitest';
import {
  createDepartment,
  createOperator,
  signUpTenant,
  useTestApi,
  uniqueEmail,
} from '../../testing/test-api.js';

const api = useTestApi();

describe('operators', () => {
  it('are created with departments and a capacity, and can sign in', async () => {
    const admin = await signUpTenant(api);
    const sales = await createDepartment(api, admin.token);
    const support = await createDepartment(api, admin.token);
    const email = uniqueEmail();
    const created = await api.request('POST', '/api/operators', {
      token: admin.token,
      body: {
        email,
        name: 'Olga',
        password: 'olga password',
        role: 'operator',
        departmentIds: [sales.id, support.id],
        maxChats: 3,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email,
      name: 'Olga',
      role: 'operator',
      status: 'offline',
      maxChats: 3,
    });
    expect(created.body.departmentIds.sort()).toEqual([sales.id, support.id].sort());
    expect(created.body).not.toHaveProperty('passwordHash');

    const login = await api.request('POST', '/api/auth/login', {
      body: { email, password: 'olga password' },
    });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('operator');
  });

  it('are listed for admins, with the admin among them', async () => {
    const admin = await signUpTenant(api);
    await createOperator(api, admin.token, { name: 'Zoe' });
    const list = await api.request('GET', '/api/operators', { token: admin.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((user: { name: string }) => user.name)).toEqual(['Admin', 'Zoe']);
  });

  it('are edited field by field: departments, capacity, role, password', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token);
    const operator = await createOperator(api, admin.token, { maxChats: 2 });

    const edited = await api.request('PATCH', `/api/operators/${operator.user.id}`, {
      token: admin.token,
      body: { departmentIds: [department.id], maxChats: null, name: 'Renamed' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      departmentIds: [department.id],
      maxChats: null,
      name: 'Renamed',
      role: 'operator',
    });

    await api.request('PATCH', `/api/operators/${operator.user.id}`, {
      token: admin.token,
      body: { password: 'a new password' },
    });
    const oldLogin = await api.request('POST', '/api/auth/login', {
      body: { email: operator.user.email, password: 'operator password' },
    });
    expect(oldLogin.status).toBe(401);
    const newLogin = await api.request('POST', '/api/auth/login', {
      body: { email: operator.user.email, password: 'a new password' },
    });
    expect(newLogin.status).toBe(200);
  });

  it('refuse an email that is already used, by anyone', async () => {
    const admin = await signUpTenant(api);
    const otherTenant = await signUpTenant(api);
    const response = await api.request('POST', '/api/operators', {
      token: admin.token,
      body: { email: otherTenant.user.email, name: 'Dup', password: 'dup password' },
    });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('EMAIL_TAKEN');

    const operator = await createOperator(api, admin.token);
    const rename = await api.request('PATCH', `/api/operators/${operator.user.id}`, {
      token: admin.token,
      body: { email: admin.user.email },
    });
    expect(rename.status).toBe(409);
  });

  it('validate their fields', async () => {
    const admin = await signUpTenant(api);
    const response = await api.request('POST', '/api/operators', {
      token: admin.token,
      body: { email: 'x', name: '', password: '1', role: 'boss', maxChats: 0 },
    });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.details.fields).sort()).toEqual([
      'email',
      'maxChats',
      'name',
      'password',
      'role',
    ]);
  });

  it('cannot delete themselves', async () => {
    const admin = await signUpTenant(api);
    const response = await api.request('DELETE', `/api/operators/${admin.user.id}`, {
      token: admin.token,
    });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('CANNOT_DELETE_SELF');
  });

  it('always leave the tenant at least one admin', async () => {
    const admin = await signUpTenant(api);
    const demoteSelf = await api.request('PATCH', `/api/operators/${admin.user.id}`, {
      token: admin.token,
      body: { role: 'operator' },
    });
    expect(demoteSelf.status).toBe(409);
    expect(demoteSelf.body.error.code).toBe('LAST_ADMIN');

    const second = await createOperator(api, admin.token, { role: 'admin' });
    const demoteFirst = await api.request('PATCH', `/api/operators/${admin.user.id}`, {
      token: second.token,
      body: { role: 'operator' },
    });
    expect(demoteFirst.status).toBe(200);
    const deleteLast = await api.request('DELETE', `/api/operators/${second.user.id}`, {
      token: second.token,
    });
    expect(deleteLast.body.error.code).toBe('CANNOT_DELETE_SELF');
  });

  it('cannot demote each other at the same moment into a tenant without admins', async () => {
    const first = await signUpTenant(api);
    const second = await createOperator(api, first.token, { role: 'admin' });
    const [a, b] = await Promise.all([
      api.request('PATCH', `/api/operators/${second.user.id}`, {
        token: first.token,
        body: { role: 'operator' },
      }),
      api.request('PATCH', `/api/operators/${first.user.id}`, {
        token: second.token,
        body: { role: 'operator' },
      }),
    ]);
    expect([a.status, b.status].sort()).toContain(200);
    const list = await api.request('GET', '/api/operators', {
      token: a.status === 200 ? first.token : second.token,
    });
    expect(list.body.items.filter((user: { role: string }) => user.role === 'admin')).toHaveLength(
      1,
    );
  });

  it('are managed by admins only', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    expect((await api.request('GET', '/api/operators', { token: operator.token })).status).toBe(
      403,
    );
    const create = await api.request('POST', '/api/operators', {
      token: operator.token,
      body: { email: uniqueEmail(), name: 'X', password: 'intruder password' },
    });
    expect(create.status).toBe(403);
  });
});
