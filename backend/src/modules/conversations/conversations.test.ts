import { describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  createDepartment,
  createOperator,
  seedConversation,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';

const api = useTestApi();

describe('conversations', () => {
  it("are visible to operators of their department and for pages without one, not to other departments'", async () => {
    const admin = await signUpTenant(api);
    const sales = await createDepartment(api, admin.token, 'Sales');
    const support = await createDepartment(api, admin.token, 'Support');
    const salesPage = await connectFacebookPage(api, admin.token, { departmentId: sales.id });
    const sharedPage = await connectFacebookPage(api, admin.token, { departmentId: null });
    const salesChat = await seedConversation(api, salesPage.page.id);
    const sharedChat = await seedConversation(api, sharedPage.page.id);
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
    const conversation = await seedConversation(api, page.id, { firstName: 'Ada' });
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
    const byName = await seedConversation(api, page.id, { firstName: 'Zenobia' });
    const byText = await seedConversation(api, page.id, { text: 'my order 4711 is late' });
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
    const conversation = await seedConversation(api, page.id, { count: 120 });
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
    const conversation = await seedConversation(api, page.id);
    const response = await api.request(
      'GET',
      `/api/conversations/${conversation.id}/messages?cursor=forged`,
      { token: admin.token },
    );
    expect(response.status).toBe(400);
    expect(response.body.error.details.fields.cursor).toEqual(expect.any(String));
  });
});
