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

describe('business hours', () => {
  const hours = {
    timezone: 'Europe/Moscow',
    weekly: [
      { day: 2, from: '14:00', to: '24:00' },
      { day: 2, from: '09:00', to: '13:00' },
    ],
    holidays: ['2026-12-31', '2026-01-01'],
    awayMessage: '  We are closed; we answer from 9:00.  ',
  };

  it('are none at first (always open), set by an admin, read by operators, and removed', async () => {
    const admin = await signUpTenant(api);
    const sales = await createDepartment(api, admin.token, 'Sales');
    const operator = await createOperator(api, admin.token, { departmentIds: [sales.id] });
    const path = `/api/departments/${sales.id}/hours`;

    const none = await api.request('GET', path, { token: operator.token });
    expect(none.body).toEqual({
      timezone: null,
      weekly: [],
      holidays: [],
      awayMessage: null,
      open: true,
    });

    const refused = await api.request('PUT', path, { token: operator.token, body: hours });
    expect(refused.status).toBe(403);

    const saved = await api.request('PUT', path, { token: admin.token, body: hours });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      timezone: 'Europe/Moscow',
      weekly: [
        { day: 2, from: '09:00', to: '13:00' },
        { day: 2, from: '14:00', to: '24:00' },
      ],
      holidays: ['2026-01-01', '2026-12-31'],
      awayMessage: 'We are closed; we answer from 9:00.',
      open: expect.any(Boolean),
    });
    const read = await api.request('GET', path, { token: operator.token });
    expect(read.body).toEqual(saved.body);

    // Closed all week: the list says so.
    await api.request('PUT', path, {
      token: admin.token,
      body: { timezone: 'UTC', weekly: [], holidays: [], awayMessage: '' },
    });
    const list = await api.request('GET', '/api/departments', { token: operator.token });
    expect(list.body.items).toEqual([expect.objectContaining({ id: sales.id, open: false })]);
    expect((await api.request('GET', path, { token: admin.token })).body.awayMessage).toBeNull();

    const removed = await api.request('DELETE', path, { token: admin.token });
    expect(removed.status).toBe(204);
    const after = await api.request('GET', '/api/departments', { token: admin.token });
    expect(after.body.items).toEqual([expect.objectContaining({ id: sales.id, open: true })]);
  });

  it('refuse an unknown zone, reversed or overlapping ranges, bad days, dates and a long message', async () => {
    const admin = await signUpTenant(api);
    const sales = await createDepartment(api, admin.token, 'Sales');
    const response = await api.request('PUT', `/api/departments/${sales.id}/hours`, {
      token: admin.token,
      body: {
        timezone: 'Mars/Olympus_Mons',
        weekly: [
          { day: 1, from: '09:00', to: '13:00' },
          { day: 1, from: '12:00', to: '18:00' },
          { day: 2, from: '18:00', to: '09:00' },
          { day: 8, from: '09:00', to: '10:00' },
          { day: 3, from: '24:00', to: '24:00' },
        ],
        holidays: ['2026-02-30'],
        awayMessage: 'x'.repeat(2001),
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(response.body.error.details.fields).sort()).toEqual([
      'awayMessage',
      'holidays.0',
      'timezone',
      'weekly.1.from',
      'weekly.2.to',
      'weekly.3.day',
      'weekly.4.to',
    ]);
    expect(response.body.error.details.fields['weekly.1.from']).toMatch(/overlaps/);
  });

  it('show in the live queue figures: each department open or closed', async () => {
    const admin = await signUpTenant(api);
    const open = await createDepartment(api, admin.token, 'Open');
    const closed = await createDepartment(api, admin.token, 'Closed');
    await api.request('PUT', `/api/departments/${closed.id}/hours`, {
      token: admin.token,
      body: { timezone: 'Asia/Dhaka', weekly: [], holidays: [], awayMessage: null },
    });
    const queue = await api.request('GET', '/api/queue', { token: admin.token });
    const openOf = Object.fromEntries(
      queue.body.departments.map((d: { departmentId: string | null; open: boolean }) => [
        d.departmentId,
        d.open,
      ]),
    );
    expect(openOf).toEqual({ null: true, [open.id]: true, [closed.id]: false });
  });
});
