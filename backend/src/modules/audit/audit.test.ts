import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { registerRandomPage } from '../../testing/fake-graph-fixtures.js';
import { QueueScene } from '../../testing/routing-fixtures.js';
import {
  connectFacebookPage,
  createDepartment,
  createOperator,
  signUpTenant,
  useTestApi,
  type SignedIn,
} from '../../testing/test-api.js';
import type { AuditEntryDto } from './audit.schemas.js';

const api = useTestApi();

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Sends a request that must succeed, and returns its body. */
async function ok(token: string, method: Method, path: string, body?: object) {
  const response = await api.request(method, path, { token, body });
  if (response.status >= 300) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

/** Every entry the admin may read, newest first, following `nextCursor` page by page. */
async function wholeLog(token: string, query = ''): Promise<AuditEntryDto[]> {
  const entries: AuditEntryDto[] = [];
  let cursor: string | null = null;
  do {
    const separator = query ? '&' : '';
    const cursorPart: string = cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : '';
    const page = await ok(token, 'GET', `/api/audit-log?${query}${cursorPart}`);
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

function actionsOf(entries: AuditEntryDto[]): string[] {
  return entries.map((entry) => entry.action).reverse();
}

/** Everything the audit table holds of a tenant, as PostgreSQL stores it. */
async function storedRowsOf(tenantId: string): Promise<string> {
  const rows = await api.orm.em
    .fork()
    .getConnection()
    .execute(`select to_jsonb(a)::text as row from audit_entry a where tenant_id = ?`, [tenantId]);
  return rows.map((row) => String(row.row)).join('\n');
}

async function operatorIn(admin: SignedIn, role: string, departmentIds: string[] = []) {
  const user = await createOperator(api, admin.token, { role, departmentIds, name: `A ${role}` });
  await ok(user.token, 'PUT', '/api/me/status', { status: 'online' });
  return user;
}

describe('the audit log', () => {
  it('records what admins change, with readable diffs, and never a secret', async () => {
    const admin = await signUpTenant(api, 'Audited Co');
    const sales = await createDepartment(api, admin.token, 'Sales');
    await ok(admin.token, 'PATCH', `/api/departments/${sales.id}`, { name: 'Sales EU' });
    await ok(admin.token, 'PUT', `/api/departments/${sales.id}/hours`, {
      timezone: 'Europe/Moscow',
      weekly: [{ day: 1, from: '09:00', to: '13:00' }],
      holidays: [],
      awayMessage: 'We are closed',
    });

    const verifyToken = 'verify-token-e2b8c1f0a7d3';
    const connected = await connectFacebookPage(api, admin.token, {
      name: 'Shop',
      departmentId: sales.id,
      verifyToken,
    });
    const page = connected.page;
    const rotated = registerRandomPage(api.fakeGraph, {
      pageId: page.pageId,
      name: String(page.pageName),
    });
    const newVerifyToken = 'verify-token-99ff00aa11bb';
    await ok(admin.token, 'PATCH', `/api/channels/facebook/${page.id}`, {
      name: 'Shop EU',
      accessToken: rotated.accessToken,
      appSecret: rotated.appSecret,
      verifyToken: newVerifyToken,
    });

    const firstPassword = 'first secret password 1';
    const secondPassword = 'second secret password 2';
    const operator = await ok(admin.token, 'POST', '/api/operators', {
      email: `audited-${Date.now()}@example.test`,
      name: 'Olga',
      password: firstPassword,
      role: 'operator',
      departmentIds: [sales.id],
    });
    await ok(admin.token, 'PATCH', `/api/operators/${operator.id}`, {
      role: 'supervisor',
      password: secondPassword,
    });

    const label = await ok(admin.token, 'POST', '/api/labels', { name: 'VIP', color: '#aa0000' });
    await ok(admin.token, 'PATCH', `/api/labels/${label.id}`, { color: '#00aa00' });
    await ok(admin.token, 'DELETE', `/api/labels/${label.id}`);

    const canned = await ok(admin.token, 'POST', '/api/canned-responses', {
      shortcut: 'hi',
      text: 'Hello!',
      scope: 'tenant',
    });
    await ok(admin.token, 'PATCH', `/api/canned-responses/${canned.id}`, { text: 'Hello there!' });
    await ok(admin.token, 'DELETE', `/api/canned-responses/${canned.id}`);
    // Personal responses are the admin's own work, not the tenant's configuration.
    await ok(admin.token, 'POST', '/api/canned-responses', {
      shortcut: 'mine',
      text: 'Mine',
      scope: 'personal',
    });

    const invitation = await ok(admin.token, 'POST', '/api/invitations', {
      email: `invitee-${Date.now()}@example.test`,
      name: 'Ivan',
      role: 'operator',
      departmentIds: [],
    });
    await ok(admin.token, 'POST', `/api/invitations/${invitation.id}/resend`);
    await ok(admin.token, 'DELETE', `/api/invitations/${invitation.id}`);

    await ok(admin.token, 'PATCH', '/api/settings', { autoCloseAfterMinutes: 60 });
    await ok(admin.token, 'PATCH', '/api/tenant', { name: 'Audited Company' });
    // A change that changes nothing is not one.
    await ok(admin.token, 'PATCH', '/api/settings', { autoCloseAfterMinutes: 60 });

    await ok(admin.token, 'DELETE', `/api/operators/${operator.id}`);
    await ok(admin.token, 'DELETE', `/api/channels/facebook/${page.id}`);
    await ok(admin.token, 'DELETE', `/api/departments/${sales.id}`);

    const entries = await wholeLog(admin.token);
    expect(actionsOf(entries)).toEqual([
      'department.created',
      'department.updated',
      'department.hours_updated',
      'page.created',
      'page.updated',
      'operator.created',
      'operator.updated',
      'label.created',
      'label.updated',
      'label.deleted',
      'canned_response.created',
      'canned_response.updated',
      'canned_response.deleted',
      'invitation.created',
      'invitation.resent',
      'invitation.revoked',
      'settings.updated',
      'settings.updated',
      'operator.deleted',
      'page.deleted',
      'department.deleted',
    ]);
    for (const entry of entries) {
      expect(entry.actor).toEqual({ id: admin.user.id, name: 'Admin' });
      expect(Date.parse(entry.at)).not.toBeNaN();
    }
    const find = (action: string) => entries.find((entry) => entry.action === action)!;

    expect(find('department.updated')).toMatchObject({
      target: { type: 'department', id: sales.id, name: 'Sales EU' },
      changes: { name: { from: 'Sales', to: 'Sales EU' } },
    });
    expect(find('department.hours_updated').changes).toEqual({
      timezone: { from: null, to: 'Europe/Moscow' },
      weekly: { from: null, to: ['1 09:00–13:00'] },
      holidays: { from: null, to: [] },
      awayMessage: { from: null, to: 'We are closed' },
    });
    expect(find('page.created').changes).toMatchObject({
      name: { from: null, to: 'Shop' },
      department: { from: null, to: 'Sales EU' },
      accessToken: { changed: true },
      appSecret: { changed: true },
      verifyToken: { changed: true },
    });
    expect(find('page.updated')).toMatchObject({
      target: { type: 'page', id: page.id, name: 'Shop EU' },
      changes: {
        name: { from: 'Shop', to: 'Shop EU' },
        accessToken: { changed: true },
        appSecret: { changed: true },
        verifyToken: { changed: true },
      },
    });
    expect(find('operator.created').changes).toMatchObject({
      name: { from: null, to: 'Olga' },
      role: { from: null, to: 'operator' },
      departments: { from: null, to: ['Sales EU'] },
      password: { changed: true },
    });
    expect(find('operator.updated').changes).toEqual({
      role: { from: 'operator', to: 'supervisor' },
      password: { changed: true },
    });
    expect(find('label.updated').changes).toEqual({ color: { from: '#aa0000', to: '#00aa00' } });
    expect(find('label.deleted')).toMatchObject({
      target: { type: 'label', id: label.id, name: 'VIP' },
      changes: { name: { from: 'VIP', to: null }, color: { from: '#00aa00', to: null } },
    });
    expect(find('canned_response.updated').changes).toEqual({
      text: { from: 'Hello!', to: 'Hello there!' },
    });
    expect(find('invitation.created').target).toMatchObject({ type: 'invitation' });
    const settingsChanges = entries
      .filter((entry) => entry.action === 'settings.updated')
      .map((entry) => entry.changes)
      .reverse();
    expect(settingsChanges).toEqual([
      { autoCloseAfterMinutes: { from: null, to: 60 } },
      { name: { from: 'Audited Co', to: 'Audited Company' } },
    ]);
    expect(find('page.deleted').changes).toMatchObject({ name: { from: 'Shop EU', to: null } });

    // Not one secret of this test anywhere in what is stored, nor in what the API answers.
    const secrets = [
      connected.accessToken,
      connected.appSecret,
      rotated.accessToken,
      rotated.appSecret,
      verifyToken,
      newVerifyToken,
      firstPassword,
      secondPassword,
    ];
    const stored = await storedRowsOf(admin.tenant.id);
    const answered = JSON.stringify(entries);
    expect(stored).toContain('Sales EU'); // the grep reads the real rows
    for (const secret of secrets) {
      expect(stored).not.toContain(secret);
      expect(answered).not.toContain(secret);
    }
  });

  it('records steering by admins and supervisors, not the operators’ own work', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token, 'Support');
    const { page } = await connectFacebookPage(api, admin.token, { departmentId: department.id });
    const queue = new QueueScene(api.orm.em.fork() as EntityManager, admin.tenant.id, page.id);
    const supervisor = await operatorIn(admin, 'supervisor', [department.id]);
    const operator = await operatorIn(admin, 'operator', [department.id]);
    const [assigned, closed, transferred, own] = await queue.addWaiting(4, department.id);
    const since = new Date().toISOString();

    await ok(supervisor.token, 'POST', `/api/conversations/${assigned}/assign`, {
      operatorId: operator.user.id,
    });
    await ok(supervisor.token, 'POST', `/api/conversations/${assigned}/assign`, {
      operatorId: supervisor.user.id,
    });
    await ok(operator.token, 'POST', `/api/conversations/${closed}/take`);
    await ok(admin.token, 'POST', `/api/conversations/${closed}/close`);
    await ok(admin.token, 'POST', `/api/conversations/${transferred}/transfer`, {
      operatorId: operator.user.id,
    });
    // An operator's own chat, taken, handed on and closed by them: their work, not steering.
    await ok(operator.token, 'POST', `/api/conversations/${own}/take`);
    await ok(operator.token, 'POST', `/api/conversations/${own}/close`);
    await ok(operator.token, 'POST', '/api/canned-responses', {
      shortcut: 'op',
      text: 'Mine',
      scope: 'personal',
    });
    // A supervisor managing the tenant's labels is recorded as such.
    await ok(supervisor.token, 'POST', '/api/labels', { name: 'Urgent', color: '#ff0000' });

    const entries = await wholeLog(admin.token, `from=${encodeURIComponent(since)}`);
    expect(
      entries
        .map((entry) => [entry.action, entry.actor.name, entry.target.id, entry.changes])
        .reverse(),
    ).toEqual([
      [
        'conversation.assigned',
        'A supervisor',
        assigned,
        { status: { from: 'queued', to: 'assigned' }, operator: { from: null, to: 'A operator' } },
      ],
      [
        'conversation.taken_over',
        'A supervisor',
        assigned,
        { operator: { from: 'A operator', to: 'A supervisor' } },
      ],
      [
        'conversation.closed',
        'Admin',
        closed,
        { status: { from: 'assigned', to: 'closed' }, operator: { from: 'A operator', to: null } },
      ],
      [
        'conversation.transferred',
        'Admin',
        transferred,
        { status: { from: 'queued', to: 'assigned' }, operator: { from: null, to: 'A operator' } },
      ],
      ['label.created', 'A supervisor', expect.any(String), expect.any(Object)],
    ]);
    expect(entries.find((entry) => entry.action === 'conversation.closed')!.target).toEqual({
      type: 'conversation',
      id: closed,
      name: null,
    });
  });

  it('pages newest first with an opaque cursor, filtered by actor, action and target type', async () => {
    const admin = await signUpTenant(api);
    const supervisor = await operatorIn(admin, 'supervisor');
    for (const name of ['One', 'Two', 'Three']) await createDepartment(api, admin.token, name);
    for (const name of ['Red', 'Blue']) {
      await ok(supervisor.token, 'POST', '/api/labels', { name, color: '#123456' });
    }

    const first = await ok(admin.token, 'GET', '/api/audit-log?limit=2');
    expect(first.items.map((entry: AuditEntryDto) => entry.target.name)).toEqual(['Blue', 'Red']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await ok(
      admin.token,
      'GET',
      `/api/audit-log?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`,
    );
    expect(second.items.map((entry: AuditEntryDto) => entry.target.name)).toEqual(['Three', 'Two']);
    const all = await wholeLog(admin.token, 'limit=2');
    expect(all.map((entry) => entry.target.name)).toEqual([
      'Blue',
      'Red',
      'Three',
      'Two',
      'One',
      'A supervisor',
    ]);

    const bySupervisor = await wholeLog(admin.token, `actorId=${supervisor.user.id}`);
    expect(bySupervisor.map((entry) => entry.target.name)).toEqual(['Blue', 'Red']);
    const departments = await wholeLog(admin.token, 'action=department.created');
    expect(departments.map((entry) => entry.target.name)).toEqual(['Three', 'Two', 'One']);
    const operators = await wholeLog(admin.token, 'targetType=operator');
    expect(operators.map((entry) => entry.action)).toEqual(['operator.created']);

    const badCursor = await api.request('GET', '/api/audit-log?cursor=nonsense', {
      token: admin.token,
    });
    expect(badCursor.status).toBe(400);
    const badAction = await api.request('GET', '/api/audit-log?action=page.hacked', {
      token: admin.token,
    });
    expect(badAction.status).toBe(400);
  });

  it('is for admins only, and each tenant sees only its own', async () => {
    const tenantA = await signUpTenant(api, 'Tenant A');
    const tenantB = await signUpTenant(api, 'Tenant B');
    await createDepartment(api, tenantA.token, 'A only');
    const supervisor = await operatorIn(tenantA, 'supervisor');
    const operator = await operatorIn(tenantA, 'operator');

    for (const user of [supervisor, operator]) {
      const refused = await api.request('GET', '/api/audit-log', { token: user.token });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    const anonymous = await api.request('GET', '/api/audit-log');
    expect(anonymous.status).toBe(401);

    expect((await wholeLog(tenantA.token)).length).toBeGreaterThan(0);
    expect(await wholeLog(tenantB.token)).toEqual([]);
    expect(await wholeLog(tenantB.token, `actorId=${tenantA.user.id}`)).toEqual([]);
  });

  it('commits an entry with its change and only then: one that cannot be written undoes it', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token, 'Billing');
    const label = await ok(admin.token, 'POST', '/api/labels', { name: 'Keep', color: '#010101' });
    const operator = await createOperator(api, admin.token, { name: 'Kept' });
    const since = new Date().toISOString();

    // A change that fails writes no entry.
    const clash = await api.request('POST', '/api/departments', {
      token: admin.token,
      body: { name: 'billing' },
    });
    expect(clash.status).toBe(409);

    // An entry that fails takes its change with it: both are one transaction, whichever way
    // the service writes (unit of work, an ORM transaction, or plain SQL).
    const connection = api.orm.em.fork().getConnection();
    await connection.execute(`
      create function refuse_doomed_audit() returns trigger language plpgsql as $$
      begin
        if new.target_name like 'Doomed%' or new.target_name = 'Keep' then
          raise exception 'audit refused';
        end if;
        return new;
      end $$`);
    await connection.execute(
      `create trigger refuse_doomed_audit before insert on audit_entry
       for each row execute function refuse_doomed_audit()`,
    );
    try {
      const renamed = await api.request('PATCH', `/api/departments/${department.id}`, {
        token: admin.token,
        body: { name: 'Doomed billing' },
      });
      expect(renamed.status).toBe(500);
      const deletedLabel = await api.request('DELETE', `/api/labels/${label.id}`, {
        token: admin.token,
      });
      expect(deletedLabel.status).toBe(500);
      const renamedOperator = await api.request('PATCH', `/api/operators/${operator.user.id}`, {
        token: admin.token,
        body: { name: 'Doomed operator' },
      });
      expect(renamedOperator.status).toBe(500);
      const settings = await api.request('PATCH', '/api/settings', {
        token: admin.token,
        body: { name: 'Doomed Co' },
      });
      expect(settings.status).toBe(500);
    } finally {
      await connection.execute(`drop trigger refuse_doomed_audit on audit_entry`);
      await connection.execute(`drop function refuse_doomed_audit()`);
    }

    const departments = await ok(admin.token, 'GET', '/api/departments');
    expect(departments.items ?? departments).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: department.id, name: 'Billing' })]),
    );
    const labels = await ok(admin.token, 'GET', '/api/labels');
    expect(labels.items.map((item: { id: string }) => item.id)).toContain(label.id);
    const kept = await ok(admin.token, 'GET', `/api/operators/${operator.user.id}`);
    expect(kept.name).toBe('Kept');
    const settings = await ok(admin.token, 'GET', '/api/settings');
    expect(settings.name).not.toBe('Doomed Co');
    expect(await wholeLog(admin.token, `from=${encodeURIComponent(since)}`)).toEqual([]);
  });
});
