import { describe, expect, it } from 'vitest';
import {
  createDepartment,
  createOperator,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';

const api = useTestApi();

describe('departments', () => {
  it('are created, listed by name with their operator count, renamed and deleted', async () => {
    const admin = await signUpTenant(api);
    const sales = await createDepartment(api, admin.token, 'Sales');
    const support = await createDepartment(api, admin.token, 'Billing');
    await createOperator(api, admin.token, { departmentIds: [sales.id] });

    const list = await api.request('GET', '/api/departments', { token: admin.token });
    expect(list.status).toBe(200);
    expect(
      list.body.items.map((d: { name: string; operatorCount: number }) => [
        d.name,
        d.operatorCount,
      ]),
    ).toEqual([
      ['Billing', 0],
      ['Sales', 1],
    ]);

    const renamed = await api.request('PATCH', `/api/departments/${support.id}`, {
      token: admin.token,
      body: { name: 'Support' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: support.id, name: 'Support', operatorCount: 0 });

    const deleted = await api.request('DELETE', `/api/departments/${support.id}`, {
      token: admin.token,
    });
    expect(deleted.status).toBe(204);
    const after = await api.request('GET', '/api/departments', { token: admin.token });
    expect(after.body.items.map((d: { id: string }) => d.id)).toEqual([sales.id]);
  });

  it('have unique names within a tenant, ignoring case', async () => {
    const admin = await signUpTenant(api);
    await createDepartment(api, admin.token, 'Support');
    const duplicate = await api.request('POST', '/api/departments', {
      token: admin.token,
      body: { name: 'support' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('DEPARTMENT_NAME_TAKEN');

    const other = await signUpTenant(api);
    const sameNameElsewhere = await api.request('POST', '/api/departments', {
      token: other.token,
      body: { name: 'Support' },
    });
    expect(sameNameElsewhere.status).toBe(201);
  });

  it('keep operators when deleted; they only lose the membership', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token);
    const operator = await createOperator(api, admin.token, { departmentIds: [department.id] });
    await api.request('DELETE', `/api/departments/${department.id}`, { token: admin.token });
    const me = await api.request('GET', '/api/me', { token: operator.token });
    expect(me.status).toBe(200);
    expect(me.body.user.departmentIds).toEqual([]);
  });

  it('can be read by operators but changed only by admins', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token);
    const operator = await createOperator(api, admin.token);
    expect((await api.request('GET', '/api/departments', { token: operator.token })).status).toBe(
      200,
    );
    const attempts = [
      api.request('POST', '/api/departments', { token: operator.token, body: { name: 'Mine' } }),
      api.request('PATCH', `/api/departments/${department.id}`, {
        token: operator.token,
        body: { name: 'X' },
      }),
      api.request('DELETE', `/api/departments/${department.id}`, { token: operator.token }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('answer 404 for an unknown id and 400 for a malformed one', async () => {
    const admin = await signUpTenant(api);
    const unknown = await api.request(
      'PATCH',
      '/api/departments/0190a1b2-0000-7000-8000-000000000000',
      {
        token: admin.token,
        body: { name: 'X' },
      },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const malformed = await api.request('PATCH', '/api/departments/not-a-uuid', {
      token: admin.token,
      body: { name: 'X' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: { id: 'Not a valid id.' } },
    });
  });
});
