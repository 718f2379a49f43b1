import type { EntityManager } from '@mikro-orm/postgresql';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { sqlTransaction } from '../../db/sql.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import { delivery, entry, textMessage } from '../../testing/messenger-fixtures.js';
import {
  connectFacebookPage,
  connectSocket,
  createDepartment,
  createOperator,
  postDelivery,
  signUpTenant,
  useTestApi,
  useTestWorker,
} from '../../testing/test-api.js';
import { until } from '../../testing/until.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import type { FakePage } from '../fake-graph/fake-graph.js';

const api = useTestApi();
useTestWorker(api);
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((socket) => socket.disconnect()));

type ReceivedEvent = { event: string; payload: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A panel's socket, and every event it receives. */
async function listen(token: string): Promise<ReceivedEvent[]> {
  const socket = await connectSocket(api, token, sockets);
  const received: ReceivedEvent[] = [];
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
  return received;
}

const named = (events: ReceivedEvent[], event: string) =>
  events.filter((received) => received.event === event).map((received) => received.payload);

/**
 * A tenant whose page belongs to Sales: Anna Petrova (online) gets the visitor's chat, Boris
 * Ivanov is her colleague in Sales, Vera Orlova works in Support and cannot see it.
 */
async function salesChat() {
  const admin = await signUpTenant(api);
  const sales = await createDepartment(api, admin.token, 'Sales');
  const support = await createDepartment(api, admin.token, 'Support');
  const anna = await createOperator(api, admin.token, {
    name: 'Anna Petrova',
    departmentIds: [sales.id],
  });
  const boris = await createOperator(api, admin.token, {
    name: 'Boris Ivanov',
    departmentIds: [sales.id],
  });
  const vera = await createOperator(api, admin.token, {
    name: 'Vera Orlova',
    departmentIds: [support.id],
  });
  const connected = await connectFacebookPage(api, admin.token, { departmentId: sales.id });
  const pageId = connected.page.pageId;
  const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
  await api.request('PUT', '/api/me/status', { token: anna.token, body: { status: 'online' } });
  await postDelivery(
    api,
    admin.tenant.key,
    delivery(
      entry(pageId, textMessage({ psid: visitor.psid, pageId, text: 'Where is my order?' })),
    ),
    connected.appSecret,
  );
  const conversation = await until(
    async () =>
      (await api.request('GET', '/api/conversations', { token: admin.token })).body.items[0],
    (found) => found?.status === 'assigned',
  );
  expect(conversation.operatorId).toBe(anna.user.id);
  const note = (token: string, body: unknown) =>
    api.request('POST', `/api/conversations/${conversation.id}/notes`, { token, body });
  const history = async (token = admin.token) =>
    (await api.request('GET', `/api/conversations/${conversation.id}/messages`, { token })).body
      .items as { id: string; kind: string; direction: string; text: string; status: string }[];
  return { admin, sales, support, anna, boris, vera, pageId, conversation, note, history };
}

describe('private notes', () => {
  it('are shown to colleagues live, mention by name, never reach the Send API and answer nothing', async () => {
    const chat = await salesChat();
    const outsider = await signUpTenant(api);
    const borisEvents = await listen(chat.boris.token);
    const veraEvents = await listen(chat.vera.token);
    const adminEvents = await listen(chat.admin.token);
    const outsiderEvents = await listen(outsider.token);

    const written = await chat.note(chat.anna.token, {
      text: '  Checking the order — @boris ivanov, please confirm the refund.  ',
    });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    expect(written.body).toMatchObject({
      conversationId: chat.conversation.id,
      kind: 'note',
      direction: 'internal',
      source: 'operator',
      operatorId: chat.anna.user.id,
      text: 'Checking the order — @boris ivanov, please confirm the refund.',
      mentions: [chat.boris.user.id],
      status: null,
    });

    // The mentioned colleague hears of it; everyone who sees the chat gets the note.
    const [mention] = named(
      await until(
        () => borisEvents,
        (events) => named(events, 'mention.created').length > 0,
      ),
      'mention.created',
    );
    expect(mention).toMatchObject({
      conversationId: chat.conversation.id,
      message: { id: written.body.id, kind: 'note', mentions: [chat.boris.user.id] },
      mentionedBy: { id: chat.anna.user.id, name: 'Anna Petrova' },
      contactName: expect.any(String),
    });
    await until(
      () => adminEvents,
      (events) => named(events, 'message.created').some((m) => m.id === written.body.id),
    );
    expect(named(borisEvents, 'message.created')).toContainEqual(
      expect.objectContaining({ id: written.body.id }),
    );

    // A later event of each tenant reaching Vera and the outsider would come after the note's.
    await api.request('PUT', '/api/me/status', {
      token: chat.admin.token,
      body: { status: 'away' },
    });
    await api.request('PUT', '/api/me/status', { token: outsider.token, body: { status: 'away' } });
    await until(
      () => veraEvents,
      (events) => named(events, 'operator.updated').length > 0,
    );
    await until(
      () => outsiderEvents,
      (events) => named(events, 'operator.updated').length > 0,
    );
    for (const events of [veraEvents, outsiderEvents]) {
      expect(named(events, 'mention.created')).toEqual([]);
      expect(named(events, 'message.created')).toEqual([]);
    }
    expect(named(adminEvents, 'mention.created')).toEqual([]);

    // Not an answer: the visitor's message is still unread and unanswered, the
    // first-response check would still take the chat back, the figures count no answer.
    const conversation = (
      await api.request('GET', `/api/conversations/${chat.conversation.id}`, {
        token: chat.admin.token,
      })
    ).body;
    expect(conversation.unreadCount).toBe(1);
    expect(conversation.lastMessage).toMatchObject({ id: written.body.id, kind: 'note' });
    const isUnanswered = () =>
      sqlTransaction(api.orm.em.fork() as EntityManager, (sql) =>
        new ConversationStore(sql).lockUnansweredAssignment(
          chat.conversation.id,
          new Date(chat.conversation.assignedAt),
        ),
      );
    expect(await isUnanswered()).not.toBeNull();
    const speedOfAnswer = async () =>
      (
        await api.request(
          'GET',
          `/api/queue/stats?from=${new Date(Date.now() - 60_000).toISOString()}&to=${new Date(Date.now() + 1000).toISOString()}`,
          { token: chat.admin.token },
        )
      ).body.averageSpeedOfAnswerSeconds;
    expect(await speedOfAnswer()).toBeNull();

    // A reply written after the note goes out alone: the note was never queued for sending.
    const reply = await api.request('POST', `/api/conversations/${chat.conversation.id}/messages`, {
      token: chat.anna.token,
      body: { text: 'Your order ships today.' },
    });
    expect(reply.status).toBe(202);
    await until(
      () => chat.history(),
      (items) => items.some((item) => item.id === reply.body.id && item.status === 'sent'),
    );
    expect(api.fakeGraph.sentMessages(chat.pageId).map((sent) => sent.text)).toEqual([
      'Your order ships today.',
    ]);
    expect(await isUnanswered()).toBeNull();
    expect(await speedOfAnswer()).not.toBeNull();
    const notes = (await chat.history()).filter((item) => item.kind === 'note');
    expect(notes).toEqual([expect.objectContaining({ id: written.body.id, status: null })]);
  });

  it('may be written by any colleague who sees the chat; mentions only those who see it', async () => {
    const chat = await salesChat();
    const outsider = await signUpTenant(api);

    // Whom Boris may mention: who sees the chat, but himself (the composer's `@` list).
    const mentionable = await api.request(
      'GET',
      `/api/conversations/${chat.conversation.id}/mentionable`,
      { token: chat.boris.token },
    );
    expect(mentionable.body.items).toEqual([
      { id: chat.admin.user.id, name: 'Admin' },
      { id: chat.anna.user.id, name: 'Anna Petrova' },
    ]);
    const hiddenList = await api.request(
      'GET',
      `/api/conversations/${chat.conversation.id}/mentionable`,
      { token: chat.vera.token },
    );
    expect(hiddenList.status).toBe(404);

    // Boris does not hold the chat, and may still leave a note, mentioning by id.
    const byId = await chat.note(chat.boris.token, {
      text: 'I spoke to them yesterday.',
      mentions: [chat.anna.user.id, chat.boris.user.id, chat.anna.user.id],
    });
    expect(byId.status, JSON.stringify(byId.body)).toBe(201);
    expect(byId.body.mentions).toEqual([chat.anna.user.id]); // once, and never the author

    // An admin sees every chat, so can be mentioned; Vera (Support) cannot, by id or by name.
    const byName = await chat.note(chat.anna.token, { text: '@Admin @Vera Orlova FYI' });
    expect(byName.status).toBe(201);
    expect(byName.body.mentions).toEqual([chat.admin.user.id]);
    for (const id of [chat.vera.user.id, outsider.user.id]) {
      const refused = await chat.note(chat.anna.token, { text: 'Look', mentions: [id] });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: 'INVALID_MENTION',
        details: { userIds: [id] },
      });
    }

    // Those who cannot see the chat cannot write in it: another department, another tenant.
    for (const token of [chat.vera.token, outsider.token]) {
      const hidden = await chat.note(token, { text: 'Not mine' });
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.code).toBe('NOT_FOUND');
    }
    const notes = (await chat.history()).filter((item) => item.kind === 'note');
    expect(notes.map((item) => item.text)).toEqual([
      'I spoke to them yesterday.',
      '@Admin @Vera Orlova FYI',
    ]);
  });

  it('refuses bad input with 400', async () => {
    const chat = await salesChat();
    for (const body of [
      {},
      { text: '   ' },
      { text: 'x'.repeat(4001) },
      { text: 'Hi', mentions: ['not-an-id'] },
      { text: 'Hi', mentions: 'someone' },
      { text: 'Hi', visible: true },
      { text: 'Nul \u0000 byte' },
    ]) {
      const response = await chat.note(chat.anna.token, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await chat.history()).filter((item) => item.kind === 'note')).toEqual([]);
  });

  it('go with a transfer, as the newest message the receiver finds', async () => {
    const chat = await salesChat();
    await api.request('PUT', '/api/me/status', {
      token: chat.boris.token,
      body: { status: 'away' },
    });
    const transfer = (body: unknown) =>
      api.request('POST', `/api/conversations/${chat.conversation.id}/transfer`, {
        token: chat.anna.token,
        body,
      });

    const blank = await transfer({ operatorId: chat.boris.user.id, note: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe('VALIDATION_FAILED');
    const tooLong = await transfer({ operatorId: chat.boris.user.id, note: 'x'.repeat(4001) });
    expect(tooLong.status).toBe(400);

    const moved = await transfer({
      operatorId: chat.boris.user.id,
      note: 'Wants a refund for order 42; the photos are above.',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({
      operatorId: chat.boris.user.id,
      lastMessage: { kind: 'note', text: 'Wants a refund for order 42; the photos are above.' },
    });
    const newest = (await chat.history(chat.boris.token)).at(-1);
    expect(newest).toMatchObject({
      kind: 'note',
      direction: 'internal',
      operatorId: chat.anna.user.id,
      text: 'Wants a refund for order 42; the photos are above.',
    });

    // Without a note, a transfer writes none.
    const back = await api.request('POST', `/api/conversations/${chat.conversation.id}/transfer`, {
      token: chat.boris.token,
      body: { departmentId: chat.support.id },
    });
    expect(back.status).toBe(200);
    const notes = (await chat.history()).filter((item) => item.kind === 'note');
    expect(notes).toHaveLength(1);
  });
});
