import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../logger.js';
import {
  connectFacebookPage,
  signUpTenant,
  useTestApi,
  type ConnectedPage,
  type SignedIn,
} from '../../../testing/test-api.js';
import {
  type InboundOutcome,
  InboundService,
  MAX_PROCESSING_ATTEMPTS,
  retryDelayMs,
} from './inbound.service.js';
import {
  delivery,
  entry,
  messageEdit,
  newMid,
  textMessage,
  type WebhookDelivery,
} from '../../../testing/messenger-fixtures.js';

/**
 * The batch path itself: stored deliveries (as the webhook leaves them) drained by
 * InboundService directly, so a test decides how many workers run and when.
 */
const api = useTestApi({}, { ownDatabase: true });

type Setup = { admin: SignedIn; connected: ConnectedPage; pageId: string };

async function setUp(): Promise<Setup> {
  const admin = await signUpTenant(api);
  const connected = await connectFacebookPage(api, admin.token);
  return { admin, connected, pageId: connected.page.pageId };
}

/** Stores deliveries as pending, in this order, as the webhook would have. */
async function store(setup: Setup, bodies: WebhookDelivery[]): Promise<string[]> {
  const ids = bodies.map(() => uuidv7());
  await api.orm.em
    .getKnex()('webhook_event')
    .insert(
      bodies.map((body, index) => ({
        id: ids[index],
        tenant_id: setup.admin.tenant.id,
        raw_body: Buffer.from(JSON.stringify(body)),
        page_ids: [setup.pageId],
        created_at: new Date(Date.now() + index),
      })),
    );
  return ids;
}

/**
 * Faults on demand, for this file's own database: a message whose text starts with
 * `poison:` cannot be inserted (standing for any bug one delivery may trigger; PostgreSQL's
 * error quotes the text, as real errors quote values), and a failure whose recorded reason
 * mentions `unrecordable` cannot be written to its delivery.
 */
beforeAll(async () => {
  await rows(
    `create function refuse_poison_message() returns trigger language plpgsql as $$
     begin raise exception 'refused message %', new.text; end $$`,
    [],
  );
  await rows(
    `create trigger refuse_poison_message before insert on message for each row
     when (new.text like 'poison:%') execute function refuse_poison_message()`,
    [],
  );
  await rows(
    `create function refuse_reason() returns trigger language plpgsql as $$
     begin raise exception 'cannot record this reason'; end $$`,
    [],
  );
  await rows(
    `create trigger refuse_reason before update on webhook_event for each row
     when (new.last_error like '%unrecordable%') execute function refuse_reason()`,
    [],
  );
});

function inboundService(): InboundService {
  return new InboundService(api.orm.em.fork(), createLogger(api.config));
}

async function rows<T>(text: string, params: unknown[]): Promise<T[]> {
  return api.orm.em.getConnection().execute<T[]>(text, params);
}

async function deliveriesOf(ids: string[]) {
  return rows<{ id: string; status: string; attempts: number; last_error: string | null }>(
    'select id, status, attempts, last_error from webhook_event where id = any(?::uuid[])',
    [`{${ids.join(',')}}`],
  );
}

/** Runs a failing delivery's last attempt (its backoff skipped): it ends failed, not pending. */
async function expectFailedAtLastAttempt(id: string): Promise<void> {
  await rows('update webhook_event set attempts = ?, process_after = null where id = ?', [
    MAX_PROCESSING_ATTEMPTS - 1,
    id,
  ]);
  await inboundService().drain(async () => {});
  expect((await deliveriesOf([id]))[0]).toMatchObject({
    status: 'failed',
    attempts: MAX_PROCESSING_ATTEMPTS,
  });
}

describe('a backlog of deliveries', () => {
  it('drained by two workers at once stores every message once, one conversation per visitor', async () => {
    const setup = await setUp();
    const visitors = Array.from({ length: 8 }, (_, index) => `7300${Date.now()}${index}`);
    const start = Date.now();
    const bodies = visitors.flatMap((psid, visitor) =>
      Array.from({ length: 6 }, (_, line) =>
        delivery(
          entry(
            setup.pageId,
            textMessage({
              psid,
              pageId: setup.pageId,
              text: `visitor ${visitor} line ${line}`,
              at: start + line * 1000 + visitor,
            }),
          ),
        ),
      ),
    );
    // Every delivery twice (Facebook retries), shuffled, so both workers meet each visitor.
    const shuffled = [...bodies, ...bodies]
      .map((body, index) => ({ body, order: (index * 7919) % 97 }))
      .sort((a, b) => a.order - b.order)
      .map(({ body }) => body);
    const ids = await store(setup, shuffled);

    const queued: string[] = [];
    const collect = async (outcomes: InboundOutcome[]) => {
      for (const outcome of outcomes) queued.push(...outcome.queuedConversationIds);
    };
    await Promise.all([inboundService().drain(collect), inboundService().drain(collect)]);

    expect((await deliveriesOf(ids)).every((row) => row.status === 'processed')).toBe(true);
    const conversations = await rows<{
      id: string;
      psid: string;
      status: string;
      unread_count: number;
      last_message_at: string;
      messages: number;
      queued_events: number;
    }>(
      `select c.id, k.psid, c.status, c.unread_count, c.last_message_at,
         (select count(*)::int from message m where m.conversation_id = c.id) as messages,
         (select count(*)::int from conversation_event e
          where e.conversation_id = c.id and e.type = 'queued') as queued_events
       from conversation c join contact k on k.id = c.contact_id
       where c.tenant_id = ?`,
      [setup.admin.tenant.id],
    );
    expect(conversations.map((conversation) => conversation.psid).sort()).toEqual(
      [...visitors].sort(),
    );
    for (const conversation of conversations) {
      expect(conversation).toMatchObject({
        status: 'queued',
        unread_count: 6,
        messages: 6,
        queued_events: 1,
      });
      const visitor = visitors.indexOf(conversation.psid);
      expect(new Date(conversation.last_message_at).getTime()).toBe(start + 5000 + visitor);
    }
    expect(queued.sort()).toEqual(conversations.map((conversation) => conversation.id).sort());
  });

  it('goes on past a delivery that fails, which is retried later and failed in the end', async () => {
    const setup = await setUp();
    const message = (psid: string, text: string) =>
      delivery(entry(setup.pageId, textMessage({ psid, pageId: setup.pageId, text })));
    const [before, broken, after] = await store(setup, [
      message(`7400${Date.now()}1`, 'before'),
      message(`7400${Date.now()}3`, 'poison: broken'),
      message(`7400${Date.now()}2`, 'after'),
    ]);

    await inboundService().drain(async () => {});

    const byId = new Map(
      (await deliveriesOf([before!, broken!, after!])).map((row) => [row.id, row]),
    );
    expect(byId.get(before!)?.status).toBe('processed');
    expect(byId.get(after!)?.status).toBe('processed');
    expect(byId.get(broken!)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(byId.get(broken!)?.last_error).toEqual(expect.any(String));
    const [stored] = await rows<{ texts: string[] }>(
      'select array_agg(text order by text) as texts from message where tenant_id = ?',
      [setup.admin.tenant.id],
    );
    expect(stored?.texts).toEqual(['after', 'before']);

    // Its last attempt, once its backoff is over: kept as failed, not retried again.
    await expectFailedAtLastAttempt(broken!);
  });

  it('settles a delivery that always fails within a minute of backoff, then fails it', () => {
    const waits = Array.from({ length: MAX_PROCESSING_ATTEMPTS - 1 }, (_, attempts) =>
      retryDelayMs(attempts),
    );
    expect(waits.reduce((total, wait) => total + wait, 0)).toBeLessThan(60_000);
  });

  it('records a failure whose reason has an emoji where it is cut', async () => {
    const setup = await setUp();
    const [broken] = await store(setup, [
      delivery(
        entry(
          setup.pageId,
          textMessage({
            psid: `7410${Date.now()}`,
            pageId: setup.pageId,
            text: `poison:${'😀'.repeat(3_000)}`,
          }),
        ),
      ),
    ]);

    await inboundService().drain(async () => {});

    const [row] = await deliveriesOf([broken!]);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.last_error).toMatch(/😀…$/u);
    expect(/\p{Cs}/u.test(row!.last_error!)).toBe(false);
  });

  it('moves a delivery out of the way even when its failure cannot be recorded', async () => {
    const setup = await setUp();
    const message = (text: string) =>
      delivery(
        entry(setup.pageId, textMessage({ psid: `7420${Date.now()}`, pageId: setup.pageId, text })),
      );
    const [broken, clean] = await store(setup, [
      message('poison: unrecordable'),
      message('clean after it'),
    ]);

    await inboundService().drain(async () => {});

    const byId = new Map((await deliveriesOf([broken!, clean!])).map((row) => [row.id, row]));
    expect(byId.get(clean!)?.status).toBe('processed');
    expect(byId.get(broken!)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: expect.stringContaining('could not be recorded'),
    });
    const [postponed] = await rows<{ later: boolean }>(
      'select process_after > now() as later from webhook_event where id = ?',
      [broken],
    );
    expect(postponed?.later).toBe(true);

    // Its last attempt: failed, however its failure is recorded.
    await expectFailedAtLastAttempt(broken!);
  });

  it('applies an edit claimed with its message at once, even when the edit came first', async () => {
    const setup = await setUp();
    const psid = `7500${Date.now()}`;
    const mid = newMid();
    const ids = await store(setup, [
      delivery(
        entry(
          setup.pageId,
          messageEdit({ psid, pageId: setup.pageId, mid, text: 'edited', at: Date.now() + 5000 }),
        ),
      ),
      delivery(
        entry(setup.pageId, textMessage({ psid, pageId: setup.pageId, mid, text: 'first' })),
      ),
    ]);

    await inboundService().drain(async () => {});

    expect((await deliveriesOf(ids)).map((row) => [row.status, row.attempts])).toEqual([
      ['processed', 1],
      ['processed', 1],
    ]);
    const [message] = await rows<{ text: string; edited_at: string | null }>(
      'select text, edited_at from message where tenant_id = ?',
      [setup.admin.tenant.id],
    );
    expect(message).toMatchObject({ text: 'edited', edited_at: expect.anything() });
  });

  it("asks for a new visitor's profile once, however many batches their messages take", async () => {
    const setup = await setUp();
    const psid = `7600${Date.now()}`;
    const asked: string[][] = [];
    const collect = async (outcomes: InboundOutcome[]) => {
      for (const outcome of outcomes) asked.push([...outcome.contactIdsNeedingProfile]);
    };
    for (const text of ['hello', 'anyone there?', 'hello??']) {
      await store(setup, [
        delivery(entry(setup.pageId, textMessage({ psid, pageId: setup.pageId, text }))),
      ]);
      await inboundService().drain(collect);
    }
    expect(asked).toHaveLength(3);
    expect(asked[0]).toHaveLength(1);
    expect(asked.slice(1)).toEqual([[], []]);
  });
});
