import { describe, expect, it } from 'vitest';
import {
  addVisitorMessages,
  connectFacebookPage,
  createDepartment,
  createOperator,
  seedConversation,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';
import { ConversationEvent } from '../conversations/conversation-event.entity.js';
import { Conversation } from '../conversations/conversation.entity.js';
import type { Message } from '../conversations/message.entity.js';

const api = useTestApi();

/**
 * What the inbound batch does when the visitor writes to a closed conversation: a new
 * message, the conversation back in the queue, and the log's "queued" line.
 */
async function visitorWritesAgain(conversationId: string, text: string): Promise<Message> {
  const now = new Date();
  const [message] = await addVisitorMessages(
    api,
    conversationId,
    [text],
    new Date(now.getTime() - 50),
  );
  const em = api.orm.em.fork();
  const conversation = await em.findOneOrFail(Conversation, conversationId, {
    filters: false,
    populate: ['tenant'],
  });
  Object.assign(conversation, { status: 'queued', operator: null, closedAt: null, queuedAt: now });
  em.persist(
    new ConversationEvent(conversation.tenant, conversation, 'queued', 'visitor_wrote', now),
  );
  await em.flush();
  return message!;
}

describe('a visitor', () => {
  it('has the episodes of their conversation: one per open→close stretch, the current one open', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const conversation = await seedConversation(api, page.id, { count: 3, firstName: 'Ada' });
    const firstMessages = await api.request(
      'GET',
      `/api/conversations/${conversation.id}/messages`,
      { token: admin.token },
    );
    const operator = await createOperator(api, admin.token);
    const call = (path: string, token = admin.token) =>
      api.request('POST', `/api/conversations/${conversation.id}/${path}`, { token });

    for (const token of [admin.token, operator.token]) {
      await api.request('PUT', '/api/me/status', { token, body: { status: 'away' } });
    }
    expect((await call('take')).status).toBe(200);
    expect((await call('close')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const back = await visitorWritesAgain(conversation.id, 'me again');
    expect((await call('take', operator.token)).status).toBe(200);

    const response = await api.request('GET', `/api/contacts/${conversation.contact.id}`, {
      token: admin.token,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: conversation.contact.id,
      psid: conversation.contact.psid,
      name: 'Ada',
      firstName: 'Ada',
      pageId: page.id,
    });
    const [earlier, current, ...more] = response.body.episodes;
    expect(more).toEqual([]);
    expect(earlier).toMatchObject({
      conversationId: conversation.id,
      operatorId: admin.user.id,
      closedAt: expect.any(String),
      firstMessageId: firstMessages.body.items[0].id,
    });
    expect(current).toMatchObject({
      conversationId: conversation.id,
      operatorId: operator.user.id,
      closedAt: null,
      firstMessageId: back.id,
    });
    expect(Date.parse(current.openedAt)).toBeGreaterThan(Date.parse(earlier.closedAt));
  });

  it('is not found by whoever may not see their conversation, nor in another tenant', async () => {
    const admin = await signUpTenant(api);
    const sales = await createDepartment(api, admin.token, 'Sales');
    const support = await createDepartment(api, admin.token, 'Support');
    const { page } = await connectFacebookPage(api, admin.token, { departmentId: sales.id });
    const conversation = await seedConversation(api, page.id);
    const salesOperator = await createOperator(api, admin.token, { departmentIds: [sales.id] });
    const supportOperator = await createOperator(api, admin.token, {
      departmentIds: [support.id],
    });
    const other = await signUpTenant(api, 'Other Co');
    const path = `/api/contacts/${conversation.contact.id}`;

    expect((await api.request('GET', path, { token: salesOperator.token })).status).toBe(200);
    const hidden = await api.request('GET', path, { token: supportOperator.token });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('NOT_FOUND');
    expect((await api.request('GET', path, { token: other.token })).status).toBe(404);
    expect(
      (await api.request('GET', `/api/contacts/${crypto.randomUUID()}`, { token: admin.token }))
        .status,
    ).toBe(404);
  });
});
