import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  connectSocket,
  createDepartment,
  createOperator,
  seedConversation,
  signUpTenant,
  useTestApi,
  type TestApi,
} from '../../testing/test-api.js';
import type { ConversationDto } from '../conversations/conversations.schemas.js';

const api = useTestApi();
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((socket) => socket.disconnect()));

type LabelBody = Partial<{ name: string; color: string }>;

function create(token: string, body: LabelBody) {
  return api.request('POST', '/api/labels', { token, body: { color: '#1a7f5a', ...body } });
}

async function created(token: string, body: LabelBody): Promise<{ id: string; name: string }> {
  const response = await create(token, body);
  if (response.status !== 201) throw new Error(`create failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function namesOf(token: string): Promise<string[]> {
  const response = await api.request('GET', '/api/labels', { token });
  expect(response.status).toBe(200);
  return response.body.items.map((item: { name: string }) => item.name);
}

function setLabels(token: string, conversationId: string, labelIds: string[]) {
  return api.request('PUT', `/api/conversations/${conversationId}/labels`, {
    token,
    body: { labelIds },
  });
}

async function listIds(token: string, query: string): Promise<string[]> {
  const response = await api.request('GET', `/api/conversations${query}`, { token });
  expect(response.status).toBe(200);
  return response.body.items.map((item: { id: string }) => item.id);
}

/** Resolves with the first `conversation.updated` of that conversation that matches. */
function nextUpdate(
  socket: Socket,
  conversationId: string,
  matches: (conversation: ConversationDto) => boolean,
): Promise<ConversationDto> {
  return new Promise((resolve) => {
    const listener = (conversation: ConversationDto) => {
      if (conversation.id !== conversationId || !matches(conversation)) return;
      socket.off('conversation.updated', listener);
      resolve(conversation);
    };
    socket.on('conversation.updated', listener);
  });
}

/** A tenant with a department page (Sales) and a page without one; an operator in Support. */
async function seedTeam(testApi: TestApi) {
  const admin = await signUpTenant(testApi);
  const sales = await createDepartment(testApi, admin.token, 'Sales');
  const support = await createDepartment(testApi, admin.token, 'Support');
  const salesPage = await connectFacebookPage(testApi, admin.token, { departmentId: sales.id });
  const sharedPage = await connectFacebookPage(testApi, admin.token, { departmentId: null });
  const supporter = await createOperator(testApi, admin.token, { departmentIds: [support.id] });
  const salesChat = await seedConversation(testApi, salesPage.page.id);
  const sharedChat = await seedConversation(testApi, sharedPage.page.id);
  return { admin, supporter, salesChat, sharedChat };
}

describe('labels', () => {
  it('are created, listed to everyone, renamed, recoloured and deleted by admins', async () => {
    const { admin, supporter } = await seedTeam(api);
    const vip = await create(admin.token, { name: '  VIP ', color: '#FFAA00' });
    expect(vip.status).toBe(201);
    expect(vip.body).toMatchObject({ name: 'VIP', color: '#ffaa00' });
    await created(admin.token, { name: 'Billing' });
    expect(await namesOf(supporter.token)).toEqual(['Billing', 'VIP']);

    const changed = await api.request('PATCH', `/api/labels/${vip.body.id}`, {
      token: admin.token,
      body: { name: 'Very important', color: '#123abc' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id: vip.body.id,
      name: 'Very important',
      color: '#123abc',
    });
    const recoloured = await api.request('PATCH', `/api/labels/${vip.body.id}`, {
      token: admin.token,
      body: { color: '#000000' },
    });
    expect(recoloured.body).toMatchObject({ name: 'Very important', color: '#000000' });

    const deleted = await api.request('DELETE', `/api/labels/${vip.body.id}`, {
      token: admin.token,
    });
    expect(deleted.status).toBe(204);
    expect(await namesOf(admin.token)).toEqual(['Billing']);
    const again = await api.request('DELETE', `/api/labels/${vip.body.id}`, { token: admin.token });
    expect(again.status).toBe(404);
  });

  it('are managed by admins only', async () => {
    const { admin, supporter } = await seedTeam(api);
    const label = await created(admin.token, { name: 'VIP' });
    const attempts = [
      await create(supporter.token, { name: 'Mine' }),
      await api.request('PATCH', `/api/labels/${label.id}`, {
        token: supporter.token,
        body: { name: 'Renamed' },
      }),
      await api.request('DELETE', `/api/labels/${label.id}`, { token: supporter.token }),
    ];
    expect(attempts.map((response) => [response.status, response.body.error.code])).toEqual([
      [403, 'FORBIDDEN'],
      [403, 'FORBIDDEN'],
      [403, 'FORBIDDEN'],
    ]);
    expect(await namesOf(admin.token)).toEqual(['VIP']);
  });

  it('keep names unique in the tenant, ignoring case', async () => {
    const { admin } = await seedTeam(api);
    await created(admin.token, { name: 'VIP' });
    const billing = await created(admin.token, { name: 'Billing' });
    const clash = await create(admin.token, { name: 'vip' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('LABEL_NAME_TAKEN');
    expect(clash.body.error.details.fields.name).toMatch(/already exists/);
    const renameOnto = await api.request('PATCH', `/api/labels/${billing.id}`, {
      token: admin.token,
      body: { name: 'Vip' },
    });
    expect(renameOnto.status).toBe(409);
    expect(renameOnto.body.error.code).toBe('LABEL_NAME_TAKEN');
    const ownCase = await api.request('PATCH', `/api/labels/${billing.id}`, {
      token: admin.token,
      body: { name: 'BILLING' },
    });
    expect(ownCase.status).toBe(200);
    // Another tenant may have its own VIP.
    const other = await signUpTenant(api, 'Other Co');
    expect((await create(other.token, { name: 'VIP' })).status).toBe(201);
  });

  it('validate the name and the colour', async () => {
    const { admin } = await seedTeam(api);
    const invalid: [LabelBody, Record<string, string>][] = [
      [{ name: ' ' }, { name: 'Enter a name.' }],
      [{ name: 'x'.repeat(41) }, { name: 'Use at most 40 characters.' }],
      [{ name: 'A', color: 'red' }, { color: 'Use a colour like #1a7f5a.' }],
      [{ name: 'A', color: '#12345' }, { color: 'Use a colour like #1a7f5a.' }],
      [{ name: 'A', color: '#12345g' }, { color: 'Use a colour like #1a7f5a.' }],
    ];
    for (const [body, fields] of invalid) {
      const response = await create(admin.token, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.details.fields).toEqual(fields);
    }
    expect((await create(admin.token, { name: 'x'.repeat(40) })).status).toBe(201);
  });

  it('are put on a conversation by whoever sees it, shown in every conversation record', async () => {
    const { admin, supporter, salesChat, sharedChat } = await seedTeam(api);
    const vip = await created(admin.token, { name: 'VIP', color: '#ffaa00' });
    const billing = await created(admin.token, { name: 'billing', color: '#0000ff' });

    // The supporter sees the shared page's chat (no department), not the Sales one.
    const set = await setLabels(supporter.token, sharedChat.id, [vip.id, billing.id, vip.id]);
    expect(set.status).toBe(200);
    expect(set.body.labels).toEqual([
      { id: billing.id, name: 'billing', color: '#0000ff' },
      { id: vip.id, name: 'VIP', color: '#ffaa00' },
    ]);
    const hidden = await setLabels(supporter.token, salesChat.id, [vip.id]);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('NOT_FOUND');

    const one = await api.request('GET', `/api/conversations/${sharedChat.id}`, {
      token: admin.token,
    });
    expect(one.body.labels.map((label: { name: string }) => label.name)).toEqual([
      'billing',
      'VIP',
    ]);
    const list = await api.request('GET', '/api/conversations', { token: admin.token });
    const labelsById = Object.fromEntries(
      list.body.items.map((item: ConversationDto) => [item.id, item.labels.map((l) => l.name)]),
    );
    expect(labelsById).toEqual({ [sharedChat.id]: ['billing', 'VIP'], [salesChat.id]: [] });

    // Replacing, not adding; [] clears.
    const replaced = await setLabels(admin.token, sharedChat.id, [vip.id]);
    expect(replaced.body.labels.map((label: { name: string }) => label.name)).toEqual(['VIP']);
    const cleared = await setLabels(admin.token, sharedChat.id, []);
    expect(cleared.body.labels).toEqual([]);
  });

  it('refuse unknown labels and bad ids', async () => {
    const { admin, sharedChat } = await seedTeam(api);
    const vip = await created(admin.token, { name: 'VIP' });
    const unknownId = '0190a1b2-0000-7000-8000-000000000000';
    const unknown = await setLabels(admin.token, sharedChat.id, [vip.id, unknownId]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('UNKNOWN_LABEL');
    expect(unknown.body.error.details.fields.labelIds).toContain(unknownId);
    const malformed = await setLabels(admin.token, sharedChat.id, ['nope']);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    // Nothing was set by the refused requests.
    const one = await api.request('GET', `/api/conversations/${sharedChat.id}`, {
      token: admin.token,
    });
    expect(one.body.labels).toEqual([]);
  });

  it('filter the conversation lists', async () => {
    const { admin, supporter, salesChat, sharedChat } = await seedTeam(api);
    const vip = await created(admin.token, { name: 'VIP' });
    const billing = await created(admin.token, { name: 'Billing' });
    await setLabels(admin.token, salesChat.id, [vip.id]);
    await setLabels(admin.token, sharedChat.id, [vip.id, billing.id]);

    expect((await listIds(admin.token, `?labelId=${vip.id}`)).sort()).toEqual(
      [salesChat.id, sharedChat.id].sort(),
    );
    expect(await listIds(admin.token, `?labelId=${billing.id}`)).toEqual([sharedChat.id]);
    expect(await listIds(admin.token, `?status=queued&labelId=${billing.id}`)).toEqual([
      sharedChat.id,
    ]);
    // The filter narrows what the caller sees; it never widens it.
    expect(await listIds(supporter.token, `?labelId=${vip.id}`)).toEqual([sharedChat.id]);
    const bad = await api.request('GET', '/api/conversations?labelId=nope', { token: admin.token });
    expect(bad.status).toBe(400);
  });

  it('leave the conversations they are deleted from, and the panels are told', async () => {
    const { admin, sharedChat } = await seedTeam(api);
    const vip = await created(admin.token, { name: 'VIP', color: '#ffaa00' });
    const billing = await created(admin.token, { name: 'Billing' });
    const panel = await connectSocket(api, admin.token, sockets);

    const labelled = nextUpdate(panel, sharedChat.id, (chat) => chat.labels.length === 2);
    await setLabels(admin.token, sharedChat.id, [vip.id, billing.id]);
    expect((await labelled).labels.map((label) => label.name)).toEqual(['Billing', 'VIP']);

    const recoloured = nextUpdate(panel, sharedChat.id, (chat) =>
      chat.labels.some((label) => label.color === '#00ff00'),
    );
    await api.request('PATCH', `/api/labels/${vip.id}`, {
      token: admin.token,
      body: { color: '#00FF00' },
    });
    await recoloured;

    const unlabelled = nextUpdate(panel, sharedChat.id, (chat) => chat.labels.length === 1);
    await api.request('DELETE', `/api/labels/${vip.id}`, { token: admin.token });
    expect((await unlabelled).labels.map((label) => label.name)).toEqual(['Billing']);
    expect(await listIds(admin.token, `?labelId=${vip.id}`)).toEqual([]);
  });

  it('are never seen or used across tenants', async () => {
    const { admin, sharedChat } = await seedTeam(api);
    const vip = await created(admin.token, { name: 'VIP' });
    await setLabels(admin.token, sharedChat.id, [vip.id]);
    const other = await signUpTenant(api, 'Other Co');
    const { page } = await connectFacebookPage(api, other.token, { departmentId: null });
    const ownChat = await seedConversation(api, page.id);

    expect(await namesOf(other.token)).toEqual([]);
    const patch = await api.request('PATCH', `/api/labels/${vip.id}`, {
      token: other.token,
      body: { name: 'Stolen' },
    });
    const remove = await api.request('DELETE', `/api/labels/${vip.id}`, { token: other.token });
    expect([patch.status, remove.status]).toEqual([404, 404]);
    // Tenant A's label cannot be put on tenant B's chat, nor tenant B's labels on A's chat.
    const borrowed = await setLabels(other.token, ownChat.id, [vip.id]);
    expect(borrowed.status).toBe(400);
    expect(borrowed.body.error.code).toBe('UNKNOWN_LABEL');
    const own = await created(other.token, { name: 'Mine' });
    expect((await setLabels(other.token, sharedChat.id, [own.id])).status).toBe(404);
    // Filtering by tenant A's label finds nothing of A's.
    expect(await listIds(other.token, `?labelId=${vip.id}`)).toEqual([]);
    expect(await namesOf(admin.token)).toEqual(['VIP']);
  });
});
