import { describe, expect, it } from 'vitest';
import {
  addVisitorMessages,
  connectFacebookPage,
  createDepartment,
  createOperator,
  seedConversation,
  signUpTenant,
  useTestApi,
  type TestResponse,
} from '../../testing/test-api.js';
import { Conversation } from './conversation.entity.js';

const api = useTestApi();

type Hit = { id: string; status: string; match?: { messageId: string; snippet: string } };

function list(token: string, query: string): Promise<TestResponse> {
  return api.request('GET', `/api/conversations?${query}`, { token });
}

async function search(token: string, q: string, more = ''): Promise<Hit[]> {
  const response = await list(token, `q=${encodeURIComponent(q)}${more}`);
  expect(response.status).toBe(200);
  return response.body.items;
}

describe('searching conversations', () => {
  it('finds visitors by name and conversations by a word of a message, with the newest matching message and an excerpt', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const byName = await seedConversation(api, page.id, { firstName: 'Zenobia' });
    const byText = await seedConversation(api, page.id, { text: 'hello' });
    const [, newest] = await addVisitorMessages(api, byText.id, [
      'my parcel 4711 is late',
      'Still waiting for PARCEL 4711, please check',
      'thanks',
    ]);
    const cyrillic = await seedConversation(api, page.id, { text: 'Где мой ЗАКАЗ? 😀 Жду' });

    const nameHits = await search(admin.token, 'ZENO');
    expect(nameHits.map((hit) => hit.id)).toEqual([byName.id]);
    expect(nameHits[0]!.match).toBeUndefined();

    const textHits = await search(admin.token, 'parcel 4711');
    expect(textHits.map((hit) => hit.id)).toEqual([byText.id]);
    expect(textHits[0]!.match).toEqual({
      messageId: newest!.id,
      snippet: 'Still waiting for PARCEL 4711, please check',
    });

    const [cyrillicHit] = await search(admin.token, 'заказ');
    expect(cyrillicHit).toMatchObject({
      id: cyrillic.id,
      match: { snippet: 'Где мой ЗАКАЗ? 😀 Жду' },
    });
  });

  it('matches % and _ only as themselves', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const underscore = await seedConversation(api, page.id, { text: 'code a_b' });
    await seedConversation(api, page.id, { text: 'code axb and 100 percent' });
    expect((await search(admin.token, 'a_b')).map((hit) => hit.id)).toEqual([underscore.id]);
    expect(await search(admin.token, '100%')).toEqual([]);
  });

  it("searches every status the caller may see, and never another tenant's or department's conversations", async () => {
    const admin = await signUpTenant(api);
    const sales = await createDepartment(api, admin.token, 'Sales');
    const support = await createDepartment(api, admin.token, 'Support');
    const salesPage = await connectFacebookPage(api, admin.token, { departmentId: sales.id });
    const supportPage = await connectFacebookPage(api, admin.token, { departmentId: support.id });
    const salesChat = await seedConversation(api, salesPage.page.id, { text: 'refund zebra' });
    const supportChat = await seedConversation(api, supportPage.page.id, {
      text: 'refund zebra',
    });
    await api.orm.em
      .fork()
      .nativeUpdate(
        Conversation,
        { id: supportChat.id },
        { status: 'closed', closedAt: new Date() },
        { filters: false },
      );
    const supportOperator = await createOperator(api, admin.token, {
      departmentIds: [support.id],
    });
    const other = await signUpTenant(api, 'Other Co');
    const otherPage = await connectFacebookPage(api, other.token);
    const otherChat = await seedConversation(api, otherPage.page.id, {
      text: 'refund zebra',
      firstName: 'Zebra',
    });

    expect((await search(admin.token, 'zebra')).map((hit) => [hit.id, hit.status])).toEqual(
      expect.arrayContaining([
        [salesChat.id, 'queued'],
        [supportChat.id, 'closed'],
      ]),
    );
    expect(await search(admin.token, 'zebra')).toHaveLength(2);
    expect((await search(supportOperator.token, 'zebra')).map((hit) => hit.id)).toEqual([
      supportChat.id,
    ]);
    expect((await search(other.token, 'zebra')).map((hit) => hit.id)).toEqual([otherChat.id]);
    expect((await search(admin.token, 'zebra', '&status=closed')).map((hit) => hit.id)).toEqual([
      supportChat.id,
    ]);
  });

  it('pages through many hits without repeating or losing one', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const seeded = new Set<string>();
    for (let index = 0; index < 55; index++) {
      seeded.add((await seedConversation(api, page.id, { text: `order ${index} walrus` })).id);
    }
    await seedConversation(api, page.id, { text: 'nothing to see' });
    const first = await list(admin.token, 'q=walrus');
    expect(first.body.items).toHaveLength(50);
    const second = await list(admin.token, `q=walrus&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    const found = [...first.body.items, ...second.body.items].map((hit: Hit) => hit.id);
    expect(new Set(found)).toEqual(seeded);
    expect(found).toHaveLength(55);
  });
});

describe('filtering conversations', () => {
  it('by operator, page and last activity', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    const first = await connectFacebookPage(api, admin.token);
    const second = await connectFacebookPage(api, admin.token);
    const held = await seedConversation(api, first.page.id);
    const old = await seedConversation(api, first.page.id);
    const onSecond = await seedConversation(api, second.page.id);
    const em = api.orm.em.fork();
    await em.nativeUpdate(
      Conversation,
      { id: held.id },
      { status: 'assigned', operator: operator.user.id, assignedAt: new Date() },
      { filters: false },
    );
    await em.nativeUpdate(
      Conversation,
      { id: old.id },
      { lastMessageAt: new Date('2026-01-10T12:00:00Z') },
      { filters: false },
    );
    const ids = async (query: string) =>
      (await list(admin.token, query)).body.items.map((item: Hit) => item.id);

    expect(await ids(`operatorId=${operator.user.id}`)).toEqual([held.id]);
    expect(await ids(`pageId=${second.page.id}`)).toEqual([onSecond.id]);
    expect(await ids('from=2026-01-10T00:00:00Z&to=2026-01-11T00:00:00%2B00:00')).toEqual([old.id]);
    expect(await ids('to=2026-01-10T12:00:00Z')).toEqual([]);
    expect(new Set(await ids('from=2026-01-10T12:00:00.001Z'))).toEqual(
      new Set([held.id, onSecond.id]),
    );
  });

  it('by label, together with the search', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const labelled = await seedConversation(api, page.id, { text: 'broken kettle' });
    await seedConversation(api, page.id, { text: 'broken kettle' });
    const label = await api.request('POST', '/api/labels', {
      token: admin.token,
      body: { name: 'VIP', color: '#f59e0b' },
    });
    const put = await api.request('PUT', `/api/conversations/${labelled.id}/labels`, {
      token: admin.token,
      body: { labelIds: [label.body.id] },
    });
    expect(put.status).toBe(200);
    const hits = await search(admin.token, 'kettle', `&labelId=${label.body.id}`);
    expect(hits.map((hit) => hit.id)).toEqual([labelled.id]);
    expect(await search(admin.token, 'kettle')).toHaveLength(2);
  });

  it('refuses a malformed or reversed period with a code', async () => {
    const admin = await signUpTenant(api);
    const malformed = await list(admin.token, 'from=yesterday');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    expect(malformed.body.error.details.fields.from).toEqual(expect.any(String));
    const reversed = await list(admin.token, 'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.code).toBe('INVALID_PERIOD');
    expect(reversed.body.error.details.fields.to).toEqual(expect.any(String));
    expect((await list(admin.token, 'pageId=not-an-id')).status).toBe(400);
  });
});

describe('the history around a message', () => {
  it('has some messages before and after it, with cursors both ways', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const conversation = await seedConversation(api, page.id, { count: 120 });
    const url = `/api/conversations/${conversation.id}/messages`;
    const newest = await api.request('GET', url, { token: admin.token });
    expect(newest.body.newerCursor).toBeNull();
    let cursor = newest.body.nextCursor as string;
    const older = await api.request('GET', `${url}?cursor=${cursor}`, { token: admin.token });
    const anchor = older.body.items.find(
      (message: { text: string }) => message.text === 'message 60',
    );

    const around = await api.request('GET', `${url}?around=${anchor.id}`, { token: admin.token });
    expect(around.status).toBe(200);
    const texts = around.body.items.map((message: { text: string }) => message.text);
    expect(texts).toEqual(Array.from({ length: 51 }, (_, index) => `message ${index + 35}`));

    cursor = around.body.nextCursor;
    const before = await api.request('GET', `${url}?cursor=${cursor}`, { token: admin.token });
    expect(before.body.items.map((message: { text: string }) => message.text)).toEqual(
      Array.from({ length: 34 }, (_, index) => `message ${index + 1}`),
    );
    expect(before.body.nextCursor).toBeNull();

    const after = await api.request('GET', `${url}?after=${around.body.newerCursor}`, {
      token: admin.token,
    });
    expect(after.body.items.map((message: { text: string }) => message.text)).toEqual(
      Array.from({ length: 35 }, (_, index) => `message ${index + 86}`),
    );
    expect(after.body.newerCursor).toBeNull();
  });

  it("is not found for another conversation's message, and refuses two positions", async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const conversation = await seedConversation(api, page.id, { count: 60 });
    const other = await seedConversation(api, page.id);
    const [otherMessage] = await addVisitorMessages(api, other.id, ['elsewhere']);
    const url = `/api/conversations/${conversation.id}/messages`;
    const foreign = await api.request('GET', `${url}?around=${otherMessage!.id}`, {
      token: admin.token,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    const unknown = await api.request('GET', `${url}?around=${crypto.randomUUID()}`, {
      token: admin.token,
    });
    expect(unknown.status).toBe(404);
    const newest = await api.request('GET', url, { token: admin.token });
    const both = await api.request(
      'GET',
      `${url}?around=${newest.body.items[0].id}&cursor=${newest.body.nextCursor}`,
      { token: admin.token },
    );
    expect(both.status).toBe(400);
    expect(both.body.error.details.fields.around).toEqual(expect.any(String));
  });
});
