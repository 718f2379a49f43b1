import { FAILED_DELIVERY_REASON } from './webhook-deliveries.service.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  postDelivery,
  signUpTenant,
  startTestWorker,
  useTestApi,
  type ConnectedPage,
  type SignedIn,
} from '../../testing/test-api.js';
import { delivery, entry, textMessage } from '../../testing/messenger-fixtures.js';
import { until } from '../../testing/until.js';

/**
 * The deliveries inspector through HTTP with a worker: verdicts, why, the messages a delivery
 * became, Replay without duplicates. Its own database: a trigger below refuses some messages.
 */
const api = useTestApi({}, { ownDatabase: true });
let worker: { stop: () => Promise<void> };

/** A message whose text starts with `refused:` fails its insert while the trigger exists. */
const createRefusal = [
  `create or replace function refuse_marked_message() returns trigger language plpgsql as $$
   begin raise exception 'refused message %', new.text; end $$`,
  `create trigger refuse_marked_message before insert on message for each row
   when (new.text like 'refused:%') execute function refuse_marked_message()`,
];

beforeAll(async () => {
  worker = await startTestWorker(api);
});
afterAll(() => worker?.stop());

function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return api.orm.em.getConnection().execute<T[]>(text, params);
}

type Tenant = { admin: SignedIn; connected: ConnectedPage; pageId: string };

async function tenantWithPage(): Promise<Tenant> {
  const admin = await signUpTenant(api);
  const connected = await connectFacebookPage(api, admin.token);
  return { admin, connected, pageId: connected.page.pageId };
}

let visitors = 0;
const newPsid = () => `7300${Date.now()}${visitors++}`;

function post(tenant: Tenant, body: unknown) {
  return postDelivery(api, tenant.admin.tenant.key, body, tenant.connected.appSecret);
}

async function listDeliveries(tenant: Tenant, cursor?: string) {
  const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
  const response = await api.request(
    'GET',
    `/api/channels/facebook/${tenant.connected.page.id}/deliveries${query}`,
    { token: tenant.admin.token },
  );
  expect(response.status).toBe(200);
  return response.body as {
    items: {
      id: string;
      status: string;
      events: number | null;
      error: string | null;
      messageIds: string[];
      messages: { id: string; conversationId: string }[];
      diagnostics: { type: string; psid: string; reason: string | null }[];
      canReplay: boolean;
    }[];
    nextCursor: string | null;
  };
}

/** The newest delivery once it is no longer pending (the worker has decided). */
async function settledNewest(tenant: Tenant, accept = (status: string) => status !== 'pending') {
  const page = await until(
    () => listDeliveries(tenant),
    (listed) => listed.items.length > 0 && accept(listed.items[0]!.status),
  );
  return page.items[0]!;
}

function replay(tenant: Tenant, deliveryId: string, token = tenant.admin.token) {
  return api.request(
    'POST',
    `/api/channels/facebook/${tenant.connected.page.id}/deliveries/${deliveryId}/replay`,
    { token },
  );
}

async function messagesOfPage(tenant: Tenant): Promise<number> {
  const [row] = await sql<{ count: string }>(`select count(*) from message where page_id = ?`, [
    tenant.connected.page.id,
  ]);
  return Number(row!.count);
}

describe('the deliveries inspector', () => {
  it('lists a processed delivery with its events and the messages it became', async () => {
    const tenant = await tenantWithPage();
    const psid = newPsid();
    const say = (text: string) => textMessage({ psid, pageId: tenant.pageId, text });
    expect(
      (await post(tenant, delivery(entry(tenant.pageId, say('Hello'), say('Anyone?'))))).status,
    ).toBe(200);

    const processed = await settledNewest(tenant);
    expect(processed).toMatchObject({
      status: 'processed',
      events: 2,
      error: null,
      canReplay: true,
    });
    expect(processed.messageIds).toHaveLength(2);
    const [stored] = await sql<{ conversation_id: string }>(
      `select conversation_id from message where id = ?`,
      [processed.messageIds[0]],
    );
    expect(processed.messages[0]).toEqual({
      id: processed.messageIds[0],
      conversationId: stored!.conversation_id,
    });
  });

  it('says why a delivery was ignored, and refuses to replay what it did not keep', async () => {
    const tenant = await tenantWithPage();
    const body = { object: 'instagram', entry: [{ id: tenant.pageId, time: Date.now() }] };
    expect((await post(tenant, body)).status).toBe(200);

    const ignored = await settledNewest(tenant);
    expect(ignored).toMatchObject({
      status: 'ignored',
      error: 'UNSUPPORTED_OBJECT:instagram',
      events: null,
      messageIds: [],
      canReplay: false,
    });
    const refused = await replay(tenant, ignored.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('RAW_BODY_NOT_KEPT');
  });

  it('shows the diagnosis of an invalid event beside the message of a valid one', async () => {
    const tenant = await tenantWithPage();
    const psid = newPsid();
    const valid = textMessage({ psid, pageId: tenant.pageId, text: 'Fine' });
    // No recipient: nothing to attribute it to, so no message but a diagnosis.
    const { recipient: _recipient, ...invalid } = textMessage({
      psid,
      pageId: tenant.pageId,
      text: 'Lost',
    });
    await post(tenant, {
      object: 'page',
      entry: [{ ...entry(tenant.pageId, valid), messaging: [valid, invalid] }],
    });

    const processed = await settledNewest(tenant);
    expect(processed).toMatchObject({ status: 'processed', events: 2 });
    expect(processed.messageIds).toHaveLength(1);
    expect(processed.diagnostics).toEqual([{ type: 'invalid', psid, reason: 'recipient.id' }]);
  });

  it('replays a processed delivery without creating anything again', async () => {
    const tenant = await tenantWithPage();
    await post(
      tenant,
      delivery(
        entry(tenant.pageId, textMessage({ psid: newPsid(), pageId: tenant.pageId, text: 'Once' })),
      ),
    );
    const processed = await settledNewest(tenant);
    expect(await messagesOfPage(tenant)).toBe(1);

    const replayed = await replay(tenant, processed.id);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({
      replayed: true,
      newMessages: 0,
      delivery: { id: processed.id, status: 'processed', messageIds: processed.messageIds },
    });
    expect(await messagesOfPage(tenant)).toBe(1);
  });

  it('replays a failed delivery once its cause is gone, creating its message', async () => {
    const tenant = await tenantWithPage();
    for (const statement of createRefusal) await sql(statement);
    try {
      await post(
        tenant,
        delivery(
          entry(
            tenant.pageId,
            textMessage({ psid: newPsid(), pageId: tenant.pageId, text: 'refused: at first' }),
          ),
        ),
      );
      const attempted = await settledNewest(tenant, () => true);
      await until(
        () =>
          sql<{ last_error: string | null }>(`select last_error from webhook_event where id = ?`, [
            attempted.id,
          ]),
        (rows) => rows[0]?.last_error !== null,
      );
      // The worker would retry it a few times more before giving up: settle it at once.
      await sql(`update webhook_event set status = 'failed', attempts = 6 where id = ?`, [
        attempted.id,
      ]);
    } finally {
      await sql(`drop trigger refuse_marked_message on message`);
    }
    const failed = await settledNewest(tenant);
    expect(failed.status).toBe('failed');
    // The worker's error quotes the failed statement (the visitor's text, and in a batch other
    // tenants' rows): the tenant reads a plain reason instead.
    expect(failed.error).toBe(FAILED_DELIVERY_REASON);
    expect(JSON.stringify(failed)).not.toContain('refused: at first');
    expect(failed.messageIds).toEqual([]);

    const replayed = await replay(tenant, failed.id);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({
      newMessages: 1,
      delivery: { status: 'processed', error: null },
    });
    expect(replayed.body.delivery.messageIds).toHaveLength(1);
    expect(await messagesOfPage(tenant)).toBe(1);
  });

  it("is the admin's of the page's own tenant only", async () => {
    const tenant = await tenantWithPage();
    const other = await tenantWithPage();
    await post(
      tenant,
      delivery(
        entry(tenant.pageId, textMessage({ psid: newPsid(), pageId: tenant.pageId, text: 'Mine' })),
      ),
    );
    const mine = await settledNewest(tenant);

    const otherPage = other.connected.page.id;
    const asOther = { token: other.admin.token };
    expect(
      (
        await api.request(
          'GET',
          `/api/channels/facebook/${tenant.connected.page.id}/deliveries`,
          asOther,
        )
      ).status,
    ).toBe(404);
    expect((await replay(tenant, mine.id, other.admin.token)).status).toBe(404);
    // Its own page with another tenant's delivery id.
    expect(
      (
        await api.request(
          'POST',
          `/api/channels/facebook/${otherPage}/deliveries/${mine.id}/replay`,
          asOther,
        )
      ).status,
    ).toBe(404);
    expect((await listDeliveries(other)).items).toEqual([]);

    const operator = await api.request('POST', '/api/operators', {
      token: tenant.admin.token,
      body: {
        email: `op-${Date.now()}@example.com`,
        name: 'Op',
        password: 'a long enough password 1',
        role: 'operator',
        departmentIds: [],
        maxChats: 3,
      },
    });
    expect(operator.status).toBe(201);
    const login = await api.request('POST', '/api/auth/login', {
      body: { email: operator.body.email, password: 'a long enough password 1' },
    });
    expect(
      (
        await api.request('GET', `/api/channels/facebook/${tenant.connected.page.id}/deliveries`, {
          token: login.body.token,
        })
      ).status,
    ).toBe(403);
  });

  it('pages newest first with an opaque cursor', async () => {
    const tenant = await tenantWithPage();
    const ids: string[] = [];
    // Rows straight in: 51 deliveries through the webhook would be slow on a busy machine.
    for (let index = 0; index < 52; index++) {
      const [row] = await sql<{ id: string }>(
        `insert into webhook_event (id, tenant_id, raw_body, page_ids, status, ignored_reason, created_at, updated_at)
         values (gen_random_uuid(), ?, null, array[?]::text[], 'ignored', 'UNSUPPORTED_OBJECT:x', now() - make_interval(secs => ?), now())
         returning id`,
        [tenant.admin.tenant.id, tenant.pageId, index],
      );
      ids.push(row!.id);
    }
    const first = await listDeliveries(tenant);
    expect(first.items.map((item) => item.id)).toEqual(ids.slice(0, 50));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await listDeliveries(tenant, first.nextCursor!);
    expect(second.items.map((item) => item.id)).toEqual(ids.slice(50));
    expect(second.nextCursor).toBeNull();
  });
});
