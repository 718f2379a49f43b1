import { describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  seedConversation,
  createDepartment,
  createOperator,
  signUpTenant,
  uniqueEmail,
  useTestApi,
} from '../testing/test-api.js';

/**
 * Invariant 4: ids from another tenant answer 404 on every route. The routes come from the
 * OpenAPI document, so a new route with an `{id}` is covered automatically — and this test
 * fails until someone says below which kind of resource its id names.
 */
const api = useTestApi();

/** For each resource path prefix: how to get an id of that resource in tenant A. */
type Owner = Awaited<ReturnType<typeof seedTenantA>>;
const idOf: Record<string, (owner: Owner) => string> = {
  '/api/departments/{id}': (owner) => owner.department.id,
  '/api/departments/{id}/hours': (owner) => owner.department.id,
  '/api/operators/{id}': (owner) => owner.operator.user.id,
  '/api/operators/{id}/two-factor': (owner) => owner.operator.user.id,
  '/api/channels/facebook/{id}': (owner) => owner.page.page.id,
  '/api/channels/facebook/{id}/check': (owner) => owner.page.page.id,
  '/api/channels/facebook/{id}/readiness': (owner) => owner.page.page.id,
  '/api/conversations/{id}': (owner) => owner.conversation.id,
  '/api/conversations/{id}/thread-control/request': (owner) => owner.conversation.id,
  '/api/conversations/{id}/messages': (owner) => owner.conversation.id,
  '/api/conversations/{id}/take': (owner) => owner.conversation.id,
  '/api/conversations/{id}/transfer': (owner) => owner.conversation.id,
  '/api/conversations/{id}/assign': (owner) => owner.conversation.id,
  '/api/conversations/{id}/close': (owner) => owner.conversation.id,
  '/api/conversations/{id}/events': (owner) => owner.conversation.id,
  '/api/conversations/{id}/reopen': (owner) => owner.conversation.id,
  '/api/messages/{id}/retry': (owner) => owner.messageId,
  '/api/conversations/{id}/seen': (owner) => owner.conversation.id,
  '/api/conversations/{id}/typing': (owner) => owner.conversation.id,
  '/api/conversations/{id}/attachments': (owner) => owner.conversation.id,
  '/api/canned-responses/{id}': (owner) => owner.cannedResponseId,
  '/api/contacts/{id}': (owner) => owner.conversation.contact.id,
  '/api/conversations/{id}/notes': (owner) => owner.conversation.id,
  '/api/conversations/{id}/mentionable': (owner) => owner.conversation.id,
  '/api/labels/{id}': (owner) => owner.labelId,
  '/api/conversations/{id}/labels': (owner) => owner.conversation.id,
  '/api/invitations/{id}': (owner) => owner.invitationId,
  '/api/invitations/{id}/resend': (owner) => owner.invitationId,
  '/api/api-tokens/{id}': (owner) => owner.apiTokenId,
  '/api/channels/facebook/{id}/deliveries': (owner) => owner.page.page.id,
  '/api/channels/facebook/{id}/deliveries/{deliveryId}/replay': (owner) => owner.page.page.id,
  '/api/webhook-subscriptions/{id}': (owner) => owner.webhookSubscriptionId,
  '/api/webhook-subscriptions/{id}/deliveries': (owner) => owner.webhookSubscriptionId,
  '/api/webhook-subscriptions/{id}/deliveries/{deliveryId}/retry': (owner) =>
    owner.webhookSubscriptionId,
};

/** Second ids of a path, any well-formed one: the first id is refused before they are read. */
const ANY_ID = '00000000-0000-7000-8000-000000000000';

/** A body that passes validation for each method+path, so the check reaches the lookup. */
const validBody: Record<string, unknown> = {
  'patch /api/departments/{id}': { name: 'Stolen' },
  'put /api/departments/{id}/hours': {
    timezone: 'UTC',
    weekly: [],
    holidays: [],
    awayMessage: 'Stolen',
  },
  'patch /api/operators/{id}': { name: 'Stolen' },
  'patch /api/channels/facebook/{id}': { name: 'Stolen' },
  'post /api/conversations/{id}/transfer': { operatorId: '00000000-0000-7000-8000-000000000000' },
  'post /api/conversations/{id}/assign': { operatorId: '00000000-0000-7000-8000-000000000000' },
  'post /api/conversations/{id}/messages': { text: 'Not yours' },
  'patch /api/canned-responses/{id}': { text: 'Stolen' },
  'post /api/conversations/{id}/notes': { text: 'Not yours' },
  'patch /api/labels/{id}': { name: 'Stolen' },
  'put /api/conversations/{id}/labels': { labelIds: [] },
  'patch /api/webhook-subscriptions/{id}': { enabled: false },
};

async function seedTenantA() {
  const admin = await signUpTenant(api, 'Tenant A');
  const department = await createDepartment(api, admin.token);
  const operator = await createOperator(api, admin.token, { departmentIds: [department.id] });
  const page = await connectFacebookPage(api, admin.token, { departmentId: department.id });
  const conversation = await seedConversation(api, page.page.id, { text: 'secret of tenant A' });
  const history = await api.request('GET', `/api/conversations/${conversation.id}/messages`, {
    token: admin.token,
  });
  const messageId: string = history.body.items[0].id;
  const cannedResponse = await api.request('POST', '/api/canned-responses', {
    token: admin.token,
    body: { shortcut: 'secret', text: 'A reply of tenant A', scope: 'tenant' },
  });
  const cannedResponseId: string = cannedResponse.body.id;
  const label = await api.request('POST', '/api/labels', {
    token: admin.token,
    body: { name: 'Secret', color: '#123456' },
  });
  const labelId: string = label.body.id;
  const invitation = await api.request('POST', '/api/invitations', {
    token: admin.token,
    body: { email: uniqueEmail('invitee'), name: 'Invitee', departmentIds: [department.id] },
  });
  const invitationId: string = invitation.body.id;
  const apiToken = await api.request('POST', '/api/api-tokens', {
    token: admin.token,
    body: { name: 'Secret integration' },
  });
  const apiTokenId: string = apiToken.body.id;
  // A literal public address: the URL check needs no DNS, and nothing is ever sent there.
  const subscription = await api.request('POST', '/api/webhook-subscriptions', {
    token: admin.token,
    body: { url: 'https://8.8.8.8/omni', events: ['message.created'] },
  });
  const webhookSubscriptionId: string = subscription.body.id;
  return {
    admin,
    department,
    operator,
    page,
    conversation,
    messageId,
    cannedResponseId,
    labelId,
    invitationId,
    apiTokenId,
    webhookSubscriptionId,
  };
}

describe('tenant isolation', () => {
  it("answers 404 for another tenant's ids on every route that takes an id", async () => {
    const owner = await seedTenantA();
    const intruder = await signUpTenant(api, 'Tenant B');
    const document = (await api.request('GET', '/api/openapi.json')).body;
    // Signed-in routes only: public ones (webhooks, signed file links) carry their own proof.
    const paths = document.paths as Record<string, Record<string, { security?: unknown }>>;
    const routes = Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.security !== undefined)
        .map(([method]) => ({ method, path })),
    );
    const routesWithIds = routes.filter((route) => route.path.includes('{id}'));
    expect(routesWithIds.length).toBeGreaterThanOrEqual(5);

    for (const { method, path } of routesWithIds) {
      const findId = idOf[path];
      expect(findId, `tenant-isolation.test.ts does not know whose id ${path} takes`).toBeDefined();
      const response = await api.request(
        method.toUpperCase(),
        path.replace('{id}', findId!(owner)).replace('{deliveryId}', ANY_ID),
        {
          token: intruder.token,
          body:
            validBody[`${method} ${path}`] ??
            (method === 'get' || method === 'delete' ? undefined : {}),
        },
      );
      expect(response.status, `${method.toUpperCase()} ${path}`).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }

    // Nothing changed for the owner.
    const departments = await api.request('GET', '/api/departments', { token: owner.admin.token });
    expect(departments.body.items).toEqual([
      expect.objectContaining({ id: owner.department.id, operatorCount: 1 }),
    ]);
    const operators = await api.request('GET', '/api/operators', { token: owner.admin.token });
    expect(operators.body.items).toHaveLength(2);
    const invitations = await api.request('GET', '/api/invitations', { token: owner.admin.token });
    expect(invitations.body.items.map((item: { id: string }) => item.id)).toEqual([
      owner.invitationId,
    ]);
    const conversation = await api.request('GET', `/api/conversations/${owner.conversation.id}`, {
      token: owner.admin.token,
    });
    expect(conversation.body).toMatchObject({ status: 'queued', operatorId: null });
  });

  it("lists only the caller's own rows", async () => {
    const owner = await seedTenantA();
    const intruder = await signUpTenant(api, 'Tenant B');
    const departments = await api.request('GET', '/api/departments', { token: intruder.token });
    const operators = await api.request('GET', '/api/operators', { token: intruder.token });
    const invitations = await api.request('GET', '/api/invitations', { token: intruder.token });
    expect(invitations.body.items).toEqual([]);
    const conversations = await api.request('GET', '/api/conversations', { token: intruder.token });
    const search = await api.request('GET', '/api/conversations?q=secret', {
      token: intruder.token,
    });
    expect(conversations.body.items).toEqual([]);
    expect(search.body.items).toEqual([]);
    expect(departments.body.items).toEqual([]);
    expect(operators.body.items.map((user: { id: string }) => user.id)).toEqual([intruder.user.id]);
    expect(JSON.stringify([departments.body, operators.body])).not.toContain(owner.department.id);
  });

  it("refuses another tenant's department for a Facebook page", async () => {
    const owner = await seedTenantA();
    const intruder = await signUpTenant(api, 'Tenant B');
    const { page } = await connectFacebookPage(api, intruder.token);
    const response = await api.request('PATCH', `/api/channels/facebook/${page.id}`, {
      token: intruder.token,
      body: { departmentId: owner.department.id },
    });
    expect(response.status).toBe(404);
    const pages = await api.request('GET', '/api/channels/facebook', { token: intruder.token });
    expect(pages.body.items.map((item: { id: string }) => item.id)).toEqual([page.id]);
  });

  it("refuses another tenant's department ids in a request body", async () => {
    const owner = await seedTenantA();
    const intruder = await signUpTenant(api, 'Tenant B');
    const create = await api.request('POST', '/api/operators', {
      token: intruder.token,
      body: {
        email: `x-${Date.now()}@example.test`,
        name: 'X',
        password: 'intruder password',
        departmentIds: [owner.department.id],
      },
    });
    expect(create.status).toBe(404);
    expect(create.body.error.details.departmentIds).toEqual([owner.department.id]);
    const update = await api.request('PATCH', `/api/operators/${intruder.user.id}`, {
      token: intruder.token,
      body: { departmentIds: [owner.department.id] },
    });
    expect(update.status).toBe(404);
    const invite = await api.request('POST', '/api/invitations', {
      token: intruder.token,
      body: { email: uniqueEmail('x'), name: 'X', departmentIds: [owner.department.id] },
    });
    expect(invite.status).toBe(404);
    expect(invite.body.error.details.departmentIds).toEqual([owner.department.id]);
  });
});
