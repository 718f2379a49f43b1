import { describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  createDepartment,
  createOperator,
  signUpTenant,
  useTestApi,
} from '../../test/test-api.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import { Contact } from './contact.entity.js';
import { Conversation } from './conversation.entity.js';
import { Message } from './message.entity.js';

const api = useTestApi();

/** Writes a conversation with `count` visitor messages a second apart (reading is under test). */
async function seedConversation(
  pageRecordId: string,
  options: { count?: number; firstName?: string; text?: string } = {},
) {
  const em = api.orm.em.fork();
  const page = await em.findOneOrFail(FacebookPage, pageRecordId, {
    filters: false,
    populate: ['tenant', 'department'],
  });
  const contact = new Contact(page.tenant, page, `psid-${Math.random().toString(36).slice(2)}`);
  contact.firstName = options.firstName ?? null;
  const conversation = new Conversation(page.tenant, contact, page, page.department);
  const start = Date.now() - 1_000_000;
  const messages = Array.from({ length: options.count ?? 1 }, (_, index) => {
    const message = new Message(
      page.tenant,
      conversation,
      page,
      'in',
      'visitor',
      'text',
      new Date(start + index * 1000),
      `m_${Math.random()}`,
    );
    message.text = options.text ?? `message ${index + 1}`;
    return message;
  });
  contact.lastInboundAt = messages.at(-1)!.occurredAt;
  conversation.lastMessageAt = contact.lastInboundAt;
  await em.persist([contact, conversation, ...messages]).flush();
  return conversation;
}

describe('conversations', () => {
  it("are visible to operators of their department and for pages without one, not to other departments'", async () => {
    const admin = await signUpTenant(api);
    const sales = await createDepartment(api, admin.token, 'Sales');
    const support = await createDepartment(api, admin.token, 'Support');
    const salesPage = await connectFacebookPage(api, admin.token, { departmentId: sales.id });
    const sharedPage = await connectFacebookPage(api, admin.token, { departmentId: null });
    const salesChat = await seedConversation(salesPage.page.id);
    const sharedChat = await seedConversation(sharedPage.page.id);
    const supportOperator = await createOperator(api, admin.token, { departmentIds: [support.id] });

    const list = await api.request('GET', '/api/conversations?status=queued', {
      token: supportOperator.token,
    });
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual(
      [salesChat.id, sharedChat.id].filter((id) => id === sharedChat.id),
    );
    expect(
      (
        await api.request('GET', `/api/conversations/${salesChat.id}`, {
          token: supportOperator.token,
        })
      ).status,
    ).toBe(404);
    const adminList = await api.request('GET', '/api/conversations?status=queued', {
      token: admin.token,
    });
    expect(adminList.body.items).toHaveLength(2);
  });

  it('carry the visitor, the page and the reply window', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token, { humanAgentEnabled: true });
    const conversation = await seedConversation(page.id, { firstName: 'Ada' });
    const response = await api.request('GET', `/api/conversations/${conversation.id}`, {
      token: admin.token,
    });
    expect(response.body).toMatchObject({
      status: 'queued',
      channel: { type: 'facebook', pageId: page.pageId },
      contact: { name: 'Ada' },
      replyWindow: {
        canReply: true,
        closesAt: expect.any(String),
        humanAgentClosesAt: expect.any(String),
      },
      lastMessage: { text: 'message 1', direction: 'in' },
    });
  });

  it('are found by visitor name or by message text', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const byName = await seedConversation(page.id, { firstName: 'Zenobia' });
    const byText = await seedConversation(page.id, { text: 'my order 4711 is late' });
    const search = async (q: string) =>
      (
        await api.request('GET', `/api/conversations?q=${encodeURIComponent(q)}`, {
          token: admin.token,
        })
      ).body.items.map((item: { id: string }) => item.id);
    expect(await search('zeno')).toEqual([byName.id]);
    expect(await search('4711')).toEqual([byText.id]);
    expect(await search('100%')).toEqual([]);
  });
});

describe('a conversation history', () => {
  it('comes newest page first, each page in time order, until the beginning', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const conversation = await seedConversation(page.id, { count: 120 });
    const texts: string[][] = [];
    let cursor: string | null = null;
    do {
      const response: { body: { items: { text: string }[]; nextCursor: string | null } } =
        await api.request(
          'GET',
          `/api/conversations/${conversation.id}/messages${cursor ? `?cursor=${cursor}` : ''}`,
          { token: admin.token },
        );
      texts.push(response.body.items.map((message) => message.text));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(texts.map((pageTexts) => pageTexts.length)).toEqual([50, 50, 20]);
    expect(texts[0]![0]).toBe('message 71');
    expect(texts[0]!.at(-1)).toBe('message 120');
    expect(texts.reverse().flat()).toEqual(
      Array.from({ length: 120 }, (_, index) => `message ${index + 1}`),
    );
  });

  it('refuses a cursor it did not give out', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const conversation = await seedConversation(page.id);
    const response = await api.request(
      'GET',
      `/api/conversations/${conversation.id}/messages?cursor=forged`,
      { token: admin.token },
    );
    expect(response.status).toBe(400);
    expect(response.body.error.details.fields.cursor).toEqual(expect.any(String));
  });
});
