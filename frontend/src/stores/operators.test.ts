import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import { makeDepartment, makeUser } from '@/test/factories';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { useDepartmentsStore } from './departments';
import { useOperatorsStore } from './operators';

describe('operators store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('creates, updates and deletes through the API, keeping the list in step', async () => {
    const existing = makeUser();
    const created = makeUser({ name: 'New' });
    stubFetch({
      'GET /api/operators': jsonResponse(200, { items: [existing] }),
      'POST /api/operators': jsonResponse(201, created),
      [`PATCH /api/operators/${existing.id}`]: jsonResponse(200, { ...existing, name: 'Renamed' }),
      [`DELETE /api/operators/${created.id}`]: new Response(null, { status: 204 }),
    });
    const operators = useOperatorsStore();

    await operators.fetchAll();
    await operators.create({
      email: created.email,
      name: created.name,
      password: 'password1',
      role: 'operator',
      departmentIds: [],
      maxChats: null,
    });
    await operators.update(existing.id, { name: 'Renamed' });
    await operators.remove(created.id);

    expect(operators.items.map((o) => o.name)).toEqual(['Renamed']);
  });

  it('raises isCreating only while the request runs, and clears it on failure', async () => {
    stubFetch({ 'POST /api/operators': errorResponse(409, 'EMAIL_TAKEN') });
    const operators = useOperatorsStore();

    const pending = operators.create({
      email: 'a@b.co',
      name: 'A',
      password: 'password1',
      role: 'operator',
      departmentIds: [],
      maxChats: null,
    });
    expect(operators.uiFlags.isCreating).toBe(true);
    await expect(pending).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    expect(operators.uiFlags.isCreating).toBe(false);
  });

  it('applies realtime updates to known operators and ignores them before the list loads', async () => {
    const operator = makeUser({ status: 'offline' });
    const operators = useOperatorsStore();

    operators.upsert({ ...operator, status: 'online' });
    expect(operators.items).toEqual([]);

    stubFetch({ 'GET /api/operators': jsonResponse(200, { items: [operator] }) });
    await operators.fetchAll();
    operators.upsert({ ...operator, status: 'online' });
    expect(operators.items[0]?.status).toBe('online');
  });
});

describe('departments store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('creates, renames and deletes, tracking which row is being deleted', async () => {
    const sales = makeDepartment({ name: 'Sales' });
    let resolveDelete: (response: Response) => void = () => {};
    stubFetch({
      'GET /api/departments': jsonResponse(200, { items: [] }),
      'POST /api/departments': jsonResponse(201, sales),
      [`PATCH /api/departments/${sales.id}`]: jsonResponse(200, { ...sales, name: 'Support' }),
      [`DELETE /api/departments/${sales.id}`]: () =>
        new Promise<Response>((resolve) => (resolveDelete = resolve)),
    });
    const departments = useDepartmentsStore();

    await departments.fetchAll();
    expect(departments.hasLoaded).toBe(true);
    await departments.create({ name: 'Sales' });
    await departments.rename(sales.id, { name: 'Support' });
    expect(departments.items.map((d) => d.name)).toEqual(['Support']);

    const removal = departments.remove(sales.id);
    expect(departments.uiFlags.deletingId).toBe(sales.id);
    resolveDelete(new Response(null, { status: 204 }));
    await removal;
    expect(departments.uiFlags.deletingId).toBeNull();
    expect(departments.items).toEqual([]);
  });
});
