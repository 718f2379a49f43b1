import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  createDepartment,
  createOperator,
  signUpTenant,
  useTestApi,
  type SignedIn,
} from '../../testing/test-api.js';
import { QueueScene } from '../../testing/routing-fixtures.js';

const api = useTestApi();

/**
 * A tenant with two departments (the supervisor's and another), a page, and in the
 * supervisor's department an operator with room for one chat.
 */
async function setUp() {
  const admin = await signUpTenant(api);
  const department = await createDepartment(api, admin.token);
  const elsewhere = await createDepartment(api, admin.token);
  const { page } = await connectFacebookPage(api, admin.token, { departmentId: department.id });
  const queue = new QueueScene(api.orm.em.fork() as EntityManager, admin.tenant.id, page.id);
  const supervisor = await signedIn(admin, 'supervisor', [department.id], 'online');
  const operator = await signedIn(admin, 'operator', [department.id], 'online', 1);
  return { admin, department, elsewhere, queue, supervisor, operator };
}

async function signedIn(
  admin: SignedIn,
  role: 'supervisor' | 'operator',
  departmentIds: string[],
  status: 'online' | 'away' | 'offline',
  maxChats: number | null = null,
): Promise<SignedIn> {
  const user = await createOperator(api, admin.token, { role, departmentIds, maxChats });
  if (status !== 'offline') {
    await api.request('PUT', '/api/me/status', { token: user.token, body: { status } });
  }
  return user;
}

function assign(token: string, conversationId: string, body: object) {
  return api.request('POST', `/api/conversations/${conversationId}/assign`, { token, body });
}

describe('the supervisor role', () => {
  it("sees every chat of their departments, whoever holds it, and not another department's", async () => {
    const { department, elsewhere, queue, supervisor, operator } = await setUp();
    const [ours] = await queue.addWaiting(1, department.id);
    const [theirs] = await queue.addWaiting(1, elsewhere.id);
    await api.request('POST', `/api/conversations/${ours}/take`, { token: operator.token });

    const list = await api.request('GET', '/api/conversations?status=assigned', {
      token: supervisor.token,
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([ours]);
    const held = await api.request('GET', `/api/conversations/${ours}`, {
      token: supervisor.token,
    });
    expect(held.body).toMatchObject({ status: 'assigned', operatorId: operator.user.id });

    const hidden = await api.request('GET', `/api/conversations/${theirs}`, {
      token: supervisor.token,
    });
    expect(hidden.status).toBe(404);
    const steerHidden = await assign(supervisor.token, theirs!, { operatorId: operator.user.id });
    expect(steerHidden.status).toBe(404);
    expect(steerHidden.body.error.code).toBe('NOT_FOUND');
  });

  it('may close a chat of their department that someone else holds', async () => {
    const { department, queue, supervisor, operator } = await setUp();
    const [chat] = await queue.addWaiting(1, department.id);
    await api.request('POST', `/api/conversations/${chat}/take`, { token: operator.token });

    const closed = await api.request('POST', `/api/conversations/${chat}/close`, {
      token: supervisor.token,
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed' });
  });

  it('manages labels and shared canned responses, reads the figures, and nothing admin-only', async () => {
    const { admin, supervisor, operator } = await setUp();
    const label = await api.request('POST', '/api/labels', {
      token: supervisor.token,
      body: { name: 'Urgent', color: '#cc0000' },
    });
    expect(label.status).toBe(201);
    const shared = await api.request('POST', '/api/canned-responses', {
      token: supervisor.token,
      body: { shortcut: 'hello', text: 'Hello!', scope: 'tenant' },
    });
    expect(shared.status).toBe(201);
    const period = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date().toISOString()}`;
    const stats = await api.request('GET', `/api/queue/stats?${period}`, {
      token: supervisor.token,
    });
    expect(stats.status).toBe(200);
    const statsForOperator = await api.request('GET', `/api/queue/stats?${period}`, {
      token: operator.token,
    });
    expect(statsForOperator.status).toBe(403);

    const adminOnly = [
      api.request('POST', '/api/departments', { token: supervisor.token, body: { name: 'Mine' } }),
      api.request('GET', '/api/operators', { token: supervisor.token }),
      api.request('GET', '/api/channels/facebook', { token: supervisor.token }),
      api.request('PATCH', '/api/settings', { token: supervisor.token, body: { name: 'Mine' } }),
    ];
    for (const response of await Promise.all(adminOnly)) {
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('FORBIDDEN');
    }
    // Promoting an admin's only colleague to supervisor leaves the admin in place.
    const demoted = await api.request('PATCH', `/api/operators/${admin.user.id}`, {
      token: admin.token,
      body: { role: 'supervisor' },
    });
    expect(demoted.status).toBe(409);
  });
});

describe("the supervisor's figures", () => {
  it('count only their departments; another department is refused', async () => {
    const { admin, department, elsewhere, queue, supervisor } = await setUp();
    await queue.addWaiting(2, department.id);
    await queue.addWaiting(3, elsewhere.id);
    const period = `from=${new Date(Date.now() - 7_200_000).toISOString()}&to=${new Date().toISOString()}`;
    const stats = (token: string, extra = '') =>
      api.request('GET', `/api/queue/stats?${period}${extra}`, { token });

    expect((await stats(admin.token)).body.entered).toBe(5);
    expect((await stats(supervisor.token)).body.entered).toBe(2);
    expect((await stats(admin.token, `&departmentId=${elsewhere.id}`)).body.entered).toBe(3);
    const refused = await stats(supervisor.token, `&departmentId=${elsewhere.id}`);
    expect(refused.status).toBe(400);
  });
});

describe('steering: POST /api/conversations/:id/assign', () => {
  it('gives a waiting chat to an operator with room, and refuses a full one unless forced', async () => {
    const { department, queue, supervisor, operator } = await setUp();
    const [first, second] = await queue.addWaiting(2, department.id);

    const given = await assign(supervisor.token, first!, { operatorId: operator.user.id });
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({ status: 'assigned', operatorId: operator.user.id });

    const full = await assign(supervisor.token, second!, { operatorId: operator.user.id });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('AT_CAPACITY');
    const forced = await assign(supervisor.token, second!, {
      operatorId: operator.user.id,
      force: true,
    });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ status: 'assigned', operatorId: operator.user.id });

    const again = await assign(supervisor.token, second!, { operatorId: operator.user.id });
    expect(again.body.error.code).toBe('ALREADY_ASSIGNED');
  });

  it('takes a held chat over, logged with the supervisor as actor', async () => {
    const { department, queue, supervisor, operator } = await setUp();
    const [chat] = await queue.addWaiting(1, department.id);
    await api.request('POST', `/api/conversations/${chat}/take`, { token: operator.token });

    const takenOver = await assign(supervisor.token, chat!, { operatorId: supervisor.user.id });
    expect(takenOver.status).toBe(200);
    expect(takenOver.body).toMatchObject({ status: 'assigned', operatorId: supervisor.user.id });

    const log = await api.request('GET', `/api/conversations/${chat}/events`, {
      token: supervisor.token,
    });
    const last = log.body.items.at(-1);
    expect(last).toMatchObject({
      type: 'taken',
      reason: 'steered',
      actor: { id: supervisor.user.id },
      operator: { id: supervisor.user.id },
    });
  });

  it("refuses an operator outside the chat's department, an offline one and a closed chat", async () => {
    const { admin, department, elsewhere, queue, supervisor } = await setUp();
    const outsider = await signedIn(admin, 'operator', [elsewhere.id], 'online');
    const offline = await signedIn(admin, 'operator', [department.id], 'offline');
    const [chat] = await queue.addWaiting(1, department.id);

    const notInDepartment = await assign(supervisor.token, chat!, {
      operatorId: outsider.user.id,
    });
    expect(notInDepartment.status).toBe(409);
    expect(notInDepartment.body.error.code).toBe('NOT_IN_DEPARTMENT');
    const whileOffline = await assign(supervisor.token, chat!, {
      operatorId: offline.user.id,
      force: true,
    });
    expect(whileOffline.body.error.code).toBe('OPERATOR_OFFLINE');

    await assign(supervisor.token, chat!, { operatorId: supervisor.user.id });
    await api.request('POST', `/api/conversations/${chat}/close`, { token: supervisor.token });
    const closed = await assign(supervisor.token, chat!, { operatorId: supervisor.user.id });
    expect(closed.body.error.code).toBe('CONVERSATION_CLOSED');
  });

  it('is 403 to operators, and to a supervisor for a chat without department; admins steer any', async () => {
    const { admin, queue, supervisor, operator, elsewhere } = await setUp();
    const [withoutDepartment] = await queue.addWaiting(1, null);
    const [otherDepartment] = await queue.addWaiting(1, elsewhere.id);

    const byOperator = await assign(operator.token, withoutDepartment!, {
      operatorId: operator.user.id,
    });
    expect(byOperator.status).toBe(403);
    expect(byOperator.body.error.code).toBe('FORBIDDEN');
    const bySupervisor = await assign(supervisor.token, withoutDepartment!, {
      operatorId: operator.user.id,
    });
    expect(bySupervisor.status).toBe(403);

    const byAdmin = await assign(admin.token, otherDepartment!, {
      operatorId: admin.user.id,
      force: true,
    });
    // The admin is offline (never went online): steering gives nobody offline a chat.
    expect(byAdmin.body.error.code).toBe('OPERATOR_OFFLINE');
    await api.request('PUT', '/api/me/status', { token: admin.token, body: { status: 'away' } });
    const afterAway = await assign(admin.token, otherDepartment!, { operatorId: admin.user.id });
    expect(afterAway.status).toBe(200);
  });
});
