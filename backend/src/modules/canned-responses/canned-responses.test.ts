import { describe, expect, it } from 'vitest';
import {
  createDepartment,
  createOperator,
  signUpTenant,
  useTestApi,
  type TestApi,
} from '../../testing/test-api.js';

const api = useTestApi();

type Body = Partial<{
  shortcut: string;
  title: string | null;
  text: string;
  scope: string;
  departmentId: string;
}>;

function create(token: string, body: Body) {
  return api.request('POST', '/api/canned-responses', {
    token,
    body: { text: 'Hello {{visitor.first_name}}!', scope: 'personal', ...body },
  });
}

async function created(token: string, body: Body): Promise<{ id: string; shortcut: string }> {
  const response = await create(token, body);
  if (response.status !== 201) throw new Error(`create failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function shortcutsOf(token: string, query = ''): Promise<string[]> {
  const response = await api.request('GET', `/api/canned-responses${query}`, { token });
  expect(response.status).toBe(200);
  return response.body.items.map((item: { shortcut: string }) => item.shortcut);
}

/** A tenant with two departments, an operator in the first, another in none. */
async function seedTeam(testApi: TestApi) {
  const admin = await signUpTenant(testApi);
  const sales = await createDepartment(testApi, admin.token, 'Sales');
  const support = await createDepartment(testApi, admin.token, 'Support');
  const seller = await createOperator(testApi, admin.token, { departmentIds: [sales.id] });
  const loner = await createOperator(testApi, admin.token);
  return { admin, sales, support, seller, loner };
}

describe('canned responses', () => {
  it('list what each user may use: the tenant’s, their departments’ and their own', async () => {
    const { admin, sales, support, seller, loner } = await seedTeam(api);
    const tenantWide = await create(admin.token, {
      shortcut: '/hello',
      title: 'Greeting',
      scope: 'tenant',
    });
    expect(tenantWide.status).toBe(201);
    expect(tenantWide.body).toMatchObject({
      shortcut: 'hello',
      title: 'Greeting',
      text: 'Hello {{visitor.first_name}}!',
      scope: 'tenant',
      departmentId: null,
      ownerId: null,
      canManage: true,
    });
    await created(admin.token, { shortcut: 'prices', scope: 'department', departmentId: sales.id });
    await created(admin.token, {
      shortcut: 'ticket',
      scope: 'department',
      departmentId: support.id,
    });
    await created(seller.token, { shortcut: 'mine' });
    await created(loner.token, { shortcut: 'lonely' });

    expect(await shortcutsOf(seller.token)).toEqual(['hello', 'mine', 'prices']);
    expect(await shortcutsOf(loner.token)).toEqual(['hello', 'lonely']);
    // An admin uses what they are a member of too, but manages every shared one.
    expect(await shortcutsOf(admin.token)).toEqual(['hello']);
    expect(await shortcutsOf(admin.token, '?manageable=true')).toEqual([
      'hello',
      'prices',
      'ticket',
    ]);
    expect(await shortcutsOf(seller.token, '?manageable=true')).toEqual(['mine']);

    const forSeller = await api.request('GET', '/api/canned-responses', { token: seller.token });
    expect(
      forSeller.body.items.map((item: { shortcut: string; canManage: boolean }) => [
        item.shortcut,
        item.canManage,
      ]),
    ).toEqual([
      ['hello', false],
      ['mine', true],
      ['prices', false],
    ]);
  });

  it('are changed and deleted by whoever manages them', async () => {
    const { admin, seller } = await seedTeam(api);
    const shared = await created(admin.token, { shortcut: 'hello', scope: 'tenant' });
    const changed = await api.request('PATCH', `/api/canned-responses/${shared.id}`, {
      token: admin.token,
      body: { shortcut: 'hi', title: '', text: 'Hi there' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ shortcut: 'hi', title: null, text: 'Hi there' });

    const personal = await created(seller.token, { shortcut: 'bye', title: 'Farewell' });
    const renamed = await api.request('PATCH', `/api/canned-responses/${personal.id}`, {
      token: seller.token,
      body: { text: 'Bye, {{visitor.name}}' },
    });
    expect(renamed.body).toMatchObject({ shortcut: 'bye', title: 'Farewell' });
    const deleted = await api.request('DELETE', `/api/canned-responses/${personal.id}`, {
      token: seller.token,
    });
    expect(deleted.status).toBe(204);
    expect(await shortcutsOf(seller.token)).toEqual(['hi']);
  });

  it('shared ones are managed by admins only; personal ones by their owner only', async () => {
    const { admin, sales, seller, loner } = await seedTeam(api);
    for (const body of [
      { shortcut: 'a', scope: 'tenant' },
      { shortcut: 'b', scope: 'department', departmentId: sales.id },
    ]) {
      const refused = await create(seller.token, body);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    const shared = await created(admin.token, {
      shortcut: 'c',
      scope: 'department',
      departmentId: sales.id,
    });
    const personal = await created(seller.token, { shortcut: 'd' });

    // The seller sees the department one: 403. Whoever cannot see a response: 404.
    const attempts: [string, string, number][] = [
      [seller.token, shared.id, 403],
      [loner.token, shared.id, 404],
      [loner.token, personal.id, 404],
      [admin.token, personal.id, 404],
    ];
    for (const [token, id, status] of attempts) {
      const patch = await api.request('PATCH', `/api/canned-responses/${id}`, {
        token,
        body: { text: 'Changed' },
      });
      const remove = await api.request('DELETE', `/api/canned-responses/${id}`, { token });
      expect([patch.status, remove.status]).toEqual([status, status]);
    }
  });

  it('keep a shortcut unique within what one user sees, ignoring case', async () => {
    const { admin, sales, support, seller, loner } = await seedTeam(api);
    await created(admin.token, { shortcut: 'Hello', scope: 'tenant' });
    await created(admin.token, { shortcut: 'prices', scope: 'department', departmentId: sales.id });
    await created(seller.token, { shortcut: 'mine' });

    const clashes: [string, Body][] = [
      // A personal one may not shadow a tenant one nor one of the owner's departments.
      [seller.token, { shortcut: 'hello' }],
      [seller.token, { shortcut: 'PRICES' }],
      [seller.token, { shortcut: 'mine' }],
      // Shared ones are one namespace: a department's never clash with another's or the tenant's.
      [admin.token, { shortcut: 'hello', scope: 'department', departmentId: support.id }],
      [admin.token, { shortcut: 'prices', scope: 'department', departmentId: support.id }],
      [admin.token, { shortcut: 'prices', scope: 'tenant' }],
      // A shared one may not clash with a personal one of someone who would see it.
      [admin.token, { shortcut: 'mine', scope: 'tenant' }],
      [admin.token, { shortcut: 'mine', scope: 'department', departmentId: sales.id }],
    ];
    for (const [token, body] of clashes) {
      const response = await create(token, body);
      expect(response.status, JSON.stringify(body)).toBe(409);
      expect(response.body.error.code).toBe('SHORTCUT_TAKEN');
      expect(response.body.error.details.fields.shortcut).toMatch(/already used/);
    }

    // Nobody who sees both: allowed.
    expect((await create(loner.token, { shortcut: 'prices' })).status).toBe(201);
    expect((await create(loner.token, { shortcut: 'mine' })).status).toBe(201);
    // Support has no members with a personal /mine.
    const forSupport = { shortcut: 'mine', scope: 'department', departmentId: support.id };
    expect((await create(admin.token, forSupport)).status).toBe(201);
  });

  it('refuse a rename onto a taken shortcut, and allow keeping one’s own', async () => {
    const { admin, seller } = await seedTeam(api);
    await created(admin.token, { shortcut: 'hello', scope: 'tenant' });
    const personal = await created(seller.token, { shortcut: 'bye' });
    const onto = await api.request('PATCH', `/api/canned-responses/${personal.id}`, {
      token: seller.token,
      body: { shortcut: 'HELLO' },
    });
    expect(onto.status).toBe(409);
    expect(onto.body.error.code).toBe('SHORTCUT_TAKEN');
    const same = await api.request('PATCH', `/api/canned-responses/${personal.id}`, {
      token: seller.token,
      body: { shortcut: 'BYE' },
    });
    expect(same.status).toBe(200);
    expect(same.body.shortcut).toBe('BYE');
  });

  it('admit one of two racing creations of the same shortcut', async () => {
    const { admin, seller } = await seedTeam(api);
    const [shared, personal] = await Promise.all([
      create(admin.token, { shortcut: 'race', scope: 'tenant' }),
      create(seller.token, { shortcut: 'race' }),
    ]);
    expect([shared.status, personal.status].sort()).toEqual([201, 409]);
    expect(await shortcutsOf(seller.token)).toEqual(['race']);
  });

  it('validate every field', async () => {
    const { admin, sales } = await seedTeam(api);
    const invalid: [Body, Record<string, string>][] = [
      [
        { shortcut: '', text: ' ' },
        { shortcut: 'Enter a shortcut.', text: 'Write the text.' },
      ],
      [{ shortcut: 'two words' }, { shortcut: 'Use one word: no spaces or slashes.' }],
      [{ shortcut: 'x'.repeat(33) }, { shortcut: 'Use at most 32 characters.' }],
      [
        { shortcut: 'long', text: 'x'.repeat(2001) },
        { text: 'Messenger accepts at most 2000 characters.' },
      ],
      [{ shortcut: 'a', title: 't'.repeat(121) }, { title: 'Use at most 120 characters.' }],
      [{ shortcut: 'a', scope: 'department' }, { departmentId: 'Choose a department.' }],
      [
        { shortcut: 'a', scope: 'tenant', departmentId: sales.id },
        { departmentId: 'Only a department response belongs to a department.' },
      ],
      [
        {
          shortcut: 'a',
          scope: 'department',
          departmentId: '0190a1b2-0000-7000-8000-000000000000',
        },
        { departmentId: 'No such department.' },
      ],
      [{ shortcut: 'a', scope: 'everyone' }, { scope: expect.any(String) as unknown as string }],
    ];
    for (const [body, fields] of invalid) {
      const response = await create(admin.token, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.details.fields).toEqual(fields);
    }
    const longest = await create(admin.token, { shortcut: 'x'.repeat(32), text: 'y'.repeat(2000) });
    expect(longest.status).toBe(201);
  });

  it('go with their department or their owner', async () => {
    const { admin, sales, seller } = await seedTeam(api);
    await created(admin.token, { shortcut: 'prices', scope: 'department', departmentId: sales.id });
    await created(seller.token, { shortcut: 'mine' });
    await api.request('DELETE', `/api/departments/${sales.id}`, { token: admin.token });
    expect(await shortcutsOf(admin.token, '?manageable=true')).toEqual([]);
    expect(await shortcutsOf(seller.token)).toEqual(['mine']);
  });

  it('are never seen or touched across tenants', async () => {
    const { admin } = await seedTeam(api);
    const shared = await created(admin.token, { shortcut: 'hello', scope: 'tenant' });
    const other = await signUpTenant(api, 'Other Co');
    expect(await shortcutsOf(other.token, '?manageable=true')).toEqual([]);
    // The same shortcut is free in another tenant.
    expect((await create(other.token, { shortcut: 'hello', scope: 'tenant' })).status).toBe(201);
    const patch = await api.request('PATCH', `/api/canned-responses/${shared.id}`, {
      token: other.token,
      body: { text: 'Stolen' },
    });
    expect(patch.status).toBe(404);
    const otherDepartment = await createDepartment(api, other.token);
    const intoOther = await create(admin.token, {
      shortcut: 'x',
      scope: 'department',
      departmentId: otherDepartment.id,
    });
    expect(intoOther.status).toBe(400);
  });
});
