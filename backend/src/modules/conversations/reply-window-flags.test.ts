import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { hoursAgo, writeChat, type ChatLine } from '../../testing/chat-fixtures.js';
import { connectFacebookPage, signUpTenant, useTestApi } from '../../testing/test-api.js';

const api = useTestApi();

async function setUp() {
  const admin = await signUpTenant(api);
  const { page } = await connectFacebookPage(api, admin.token, { departmentId: null });
  const humanAgent = await connectFacebookPage(api, admin.token, {
    departmentId: null,
    humanAgentEnabled: true,
  });
  const write = (
    lines: ChatLine[],
    options: { humanAgent?: boolean; status?: 'queued' | 'assigned' | 'closed' } = {},
  ) =>
    writeChat(api.orm.em.fork() as EntityManager, {
      tenantId: admin.tenant.id,
      pageRecordId: options.humanAgent ? humanAgent.page.id : page.id,
      status: options.status ?? 'assigned',
      operatorId: options.status === 'queued' ? null : admin.user.id,
      assignedAt: options.status === 'queued' ? null : hoursAgo(40),
      lines,
    });
  const read = async (id: string) =>
    (await api.request('GET', `/api/conversations/${id}`, { token: admin.token })).body;
  return { admin, write, read };
}

describe('the reply-window flags of a conversation', () => {
  it('flag a window closing within 2 hours, and say until when a reply may go', async () => {
    const { admin, write, read } = await setUp();
    const wroteAt = hoursAgo(23);
    const closingSoon = await write([{ direction: 'in', at: wroteAt }]);
    const fresh = await write([{ direction: 'in', at: hoursAgo(1) }]);
    const expired = await write([{ direction: 'in', at: hoursAgo(25) }]);
    // 23 hours on a Human Agent page: 6 more days to go.
    const humanAgent = await write([{ direction: 'in', at: hoursAgo(23) }], { humanAgent: true });

    expect((await read(closingSoon)).replyWindow).toEqual({
      closesAt: new Date(wroteAt.getTime() + 24 * 3_600_000).toISOString(),
      humanAgentClosesAt: null,
      canReply: true,
      canReplyUntil: new Date(wroteAt.getTime() + 24 * 3_600_000).toISOString(),
      closesSoon: true,
    });
    expect((await read(fresh)).replyWindow.closesSoon).toBe(false);
    expect((await read(expired)).replyWindow).toMatchObject({ canReply: false, closesSoon: false });
    expect((await read(humanAgent)).replyWindow).toMatchObject({
      canReply: true,
      closesSoon: false,
    });
    // The lists carry the same fields.
    const list = await api.request('GET', '/api/conversations?status=assigned', {
      token: admin.token,
    });
    const listed = list.body.items.find((item: { id: string }) => item.id === closingSoon);
    expect(listed.replyWindow.closesSoon).toBe(true);
    expect(listed.waitingSince).toBe(wroteAt.toISOString());
  });

  it("give the visitor's oldest message after the last reply as waitingSince", async () => {
    const { write, read } = await setUp();
    const first = hoursAgo(5);
    const unanswered = await write([
      { direction: 'in', at: first },
      { direction: 'in', at: hoursAgo(4) },
    ]);
    const answered = await write([
      { direction: 'in', at: hoursAgo(5) },
      { direction: 'out', at: hoursAgo(4) },
    ]);
    const afterAReply = hoursAgo(3);
    const again = await write([
      { direction: 'in', at: hoursAgo(5) },
      { direction: 'out', at: hoursAgo(4) },
      { direction: 'in', at: afterAReply },
      { direction: 'in', at: hoursAgo(2) },
    ]);
    // A failed reply and an automatic notice answer nothing; a reaction asks for nothing.
    const notReallyAnswered = await write([
      { direction: 'in', at: first },
      { direction: 'out', at: hoursAgo(4), status: 'failed' },
      { direction: 'out', at: hoursAgo(3), source: 'automatic' },
    ]);
    const onlyAReaction = await write([
      { direction: 'in', at: hoursAgo(5) },
      { direction: 'out', at: hoursAgo(4) },
      { direction: 'in', at: hoursAgo(3), kind: 'reaction' },
    ]);
    // A reply from the page's own inbox is a reply too.
    const answeredInTheInbox = await write([
      { direction: 'in', at: hoursAgo(5) },
      { direction: 'out', at: hoursAgo(4), source: 'page_inbox' },
    ]);

    expect((await read(unanswered)).waitingSince).toBe(first.toISOString());
    expect((await read(answered)).waitingSince).toBeNull();
    expect((await read(again)).waitingSince).toBe(afterAReply.toISOString());
    expect((await read(notReallyAnswered)).waitingSince).toBe(first.toISOString());
    expect((await read(onlyAReaction)).waitingSince).toBeNull();
    expect((await read(answeredInTheInbox)).waitingSince).toBeNull();
  });
});

describe('windowExpiredUnanswered in the queue figures', () => {
  it('counts the windows that expired in the period with a visitor message unanswered', async () => {
    const { admin, write } = await setUp();
    const now = Date.now();
    // Expired 6 hours ago, unanswered: counted.
    await write([{ direction: 'in', at: hoursAgo(30, now) }], { status: 'closed' });
    // Expired 6 hours ago, but answered: not counted.
    await write(
      [
        { direction: 'in', at: hoursAgo(30, now) },
        { direction: 'out', at: hoursAgo(29, now) },
      ],
      { status: 'closed' },
    );
    // Answered, then the visitor wrote again and nobody answered that: counted.
    await write(
      [
        { direction: 'in', at: hoursAgo(40, now) },
        { direction: 'out', at: hoursAgo(39, now) },
        { direction: 'in', at: hoursAgo(30, now) },
      ],
      { status: 'closed' },
    );
    // Renewed by a second message: open until 4 hours from now, not expired yet.
    await write([
      { direction: 'in', at: hoursAgo(30, now) },
      { direction: 'in', at: hoursAgo(20, now) },
    ]);
    // On a Human Agent page the window lasts a week: not expired.
    await write([{ direction: 'in', at: hoursAgo(30, now) }], { humanAgent: true });
    // Expired 26 hours ago: before the period of the day, inside the two days'.
    await write([{ direction: 'in', at: hoursAgo(50, now) }], { status: 'closed' });

    const statsOver = async (hours: number) =>
      (
        await api.request(
          'GET',
          `/api/queue/stats?from=${hoursAgo(hours, now).toISOString()}&to=${new Date(now).toISOString()}`,
          { token: admin.token },
        )
      ).body;

    expect((await statsOver(20)).windowExpiredUnanswered).toBe(2);
    expect((await statsOver(48)).windowExpiredUnanswered).toBe(3);
    // Another tenant's figures count none of these.
    const other = await signUpTenant(api, 'Tenant B');
    const theirs = await api.request(
      'GET',
      `/api/queue/stats?from=${hoursAgo(48, now).toISOString()}&to=${new Date(now).toISOString()}`,
      { token: other.token },
    );
    expect(theirs.body.windowExpiredUnanswered).toBe(0);
  });
});
