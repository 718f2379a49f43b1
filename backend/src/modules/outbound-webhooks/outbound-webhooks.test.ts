import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sqlTransaction } from '../../db/sql.js';
import { appendToOutbox } from '../../outbox/outbox.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import { delivery, entry, textMessage } from '../../testing/messenger-fixtures.js';
import {
  connectFacebookPage,
  postDelivery,
  signUpTenant,
  startTestWorker,
  useTestApi,
  type SignedIn,
} from '../../testing/test-api.js';
import { until } from '../../testing/until.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import type { FakePage } from '../fake-graph/fake-graph.js';

/**
 * Outbound webhooks end to end: the api, a worker, and a receiver of the test's own on
 * loopback (ALLOW_PRIVATE_WEBHOOK_URLS, as in development) that verifies what it gets.
 */
const api = useTestApi({ ALLOW_PRIVATE_WEBHOOK_URLS: 'true' });
/** The production rule: https and public addresses only. */
const strictApi = useTestApi();

let worker: Awaited<ReturnType<typeof startTestWorker>>;
beforeAll(async () => {
  worker = await startTestWorker(api);
});
afterAll(() => worker?.stop());

type Received = { headers: IncomingHttpHeaders; rawBody: string; body: WebhookBody };
type WebhookBody = {
  id: string;
  event: string;
  createdAt: string;
  tenantId: string;
  data: Record<string, unknown> & { id: string };
};

const receivers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    receivers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/** A webhook receiver on loopback; `answer` gives each request's status (200 by default). */
async function listen(answer: (request: number) => number = () => 200) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: request.headers, rawBody, body: JSON.parse(rawBody) });
      response.writeHead(answer(received.length)).end();
    });
  });
  receivers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

/** What a receiver does: HMAC-SHA256 of the raw body with the secret, compared in constant time. */
function hasValidSignature(request: Received, secret: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(request.rawBody).digest('hex')}`;
  const given = String(request.headers['x-omni-signature'] ?? '');
  return (
    given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}

async function subscribe(admin: SignedIn, url: string, events: string[]) {
  const created = await api.request('POST', '/api/webhook-subscriptions', {
    token: admin.token,
    body: { url, events },
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; secret: string; url: string; events: string[] };
}

/** A tenant with a page; `write` has a new visitor write to it and answers their conversation. */
async function tenantWithPage() {
  const admin = await signUpTenant(api);
  const connected = await connectFacebookPage(api, admin.token);
  const pageId = connected.page.pageId;
  const em = api.orm.em.fork() as EntityManager;
  const write = async (text: string) => {
    const visitor = registerRandomUser(api.fakeGraph, { pageId } as FakePage);
    const posted = await postDelivery(
      api,
      admin.tenant.key,
      delivery(entry(pageId, textMessage({ psid: visitor.psid, pageId, text }))),
      connected.appSecret,
    );
    expect(posted.status).toBe(200);
    const [row] = await until(
      () =>
        em.getConnection().execute<{ id: string }[]>(
          `select c.id from conversation c join contact k on k.id = c.contact_id
           where k.psid = ? and c.tenant_id = ?`,
          [visitor.psid, admin.tenant.id],
        ),
      (rows) => rows.length > 0,
    );
    return row!.id;
  };
  return { admin, em, write };
}

async function deliveriesOf(admin: SignedIn, subscriptionId: string) {
  const log = await api.request('GET', `/api/webhook-subscriptions/${subscriptionId}/deliveries`, {
    token: admin.token,
  });
  expect(log.status).toBe(200);
  return log.body.items as {
    id: string;
    event: string;
    status: string;
    attempts: number;
    responseStatus: number | null;
    lastError: string | null;
  }[];
}

describe('outbound webhooks', () => {
  it('deliver signed conversation.created, message.created and conversation.closed with the records the API shows', async () => {
    const { admin, write } = await tenantWithPage();
    const receiver = await listen();
    const subscription = await subscribe(admin, receiver.url, [
      'conversation.created',
      'conversation.closed',
      'message.created',
    ]);
    expect(subscription.secret).toMatch(/^whsec_[\w-]{32}$/);

    const conversationId = await write('Hello, is anyone there?');
    await until(
      () => receiver.received,
      (received) => received.length >= 2,
    );
    const closed = await api.request('POST', `/api/conversations/${conversationId}/close`, {
      token: admin.token,
    });
    expect(closed.status).toBe(200);
    const received = await until(
      () => receiver.received,
      (all) => all.some((request) => request.body.event === 'conversation.closed'),
    );

    expect(received.map((request) => request.body.event).sort()).toEqual([
      'conversation.closed',
      'conversation.created',
      'message.created',
    ]);
    for (const request of received) {
      expect(hasValidSignature(request, subscription.secret)).toBe(true);
      expect(request.headers['x-omni-event']).toBe(request.body.event);
      expect(request.headers['x-omni-delivery']).toBe(request.body.id);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.body.tenantId).toBe(admin.tenant.id);
      expect(Date.parse(request.body.createdAt)).not.toBeNaN();
    }
    const byEvent = Object.fromEntries(received.map((request) => [request.body.event, request]));
    const conversation = (
      await api.request('GET', `/api/conversations/${conversationId}`, { token: admin.token })
    ).body;
    // The record as it was then: the visitor's profile (name, photo) is fetched afterwards.
    expect(byEvent['conversation.created']!.body.data).toMatchObject({
      id: conversationId,
      status: 'queued',
      contact: { id: conversation.contact.id, psid: conversation.contact.psid },
    });
    expect(byEvent['conversation.closed']!.body.data).toMatchObject({
      id: conversationId,
      status: 'closed',
    });
    const [message] = (
      await api.request('GET', `/api/conversations/${conversationId}/messages`, {
        token: admin.token,
      })
    ).body.items;
    expect(byEvent['message.created']!.body.data).toEqual(message);

    const log = await deliveriesOf(admin, subscription.id);
    expect(log.map((item) => [item.status, item.attempts, item.responseStatus])).toEqual([
      ['delivered', 1, 200],
      ['delivered', 1, 200],
      ['delivered', 1, 200],
    ]);
    // A signature made with any other secret does not verify.
    expect(hasValidSignature(received[0]!, `${subscription.secret}x`)).toBe(false);
  });

  it('send a delivery again, with the same id and signature, after the endpoint answered 500', async () => {
    const { admin, write } = await tenantWithPage();
    const receiver = await listen((request) => (request === 1 ? 500 : 200));
    const subscription = await subscribe(admin, receiver.url, ['message.created']);

    await write('First try fails');
    const failed = await until(
      () => deliveriesOf(admin, subscription.id),
      (log) => log[0]?.attempts === 1,
    );
    expect(failed).toEqual([
      expect.objectContaining({
        status: 'pending',
        attempts: 1,
        responseStatus: 500,
        lastError: 'The endpoint answered HTTP 500.',
      }),
    ]);
    // The first retry comes 10 s after the failure.
    const received = await until(
      () => receiver.received,
      (all) => all.length >= 2,
      25_000,
    );
    expect(received).toHaveLength(2);
    const [first, second] = received;
    expect(second!.headers['x-omni-delivery']).toBe(first!.headers['x-omni-delivery']);
    expect(second!.rawBody).toBe(first!.rawBody);
    expect(hasValidSignature(second!, subscription.secret)).toBe(true);
    expect(
      await until(
        () => deliveriesOf(admin, subscription.id),
        (log) => log[0]?.status === 'delivered',
      ),
    ).toEqual([
      expect.objectContaining({
        id: first!.body.id,
        status: 'delivered',
        attempts: 2,
        responseStatus: 200,
        lastError: null,
      }),
    ]);
  }, 40_000);

  it('never deliver an event for a change that rolled back', async () => {
    const { admin, em, write } = await tenantWithPage();
    const receiver = await listen();
    const subscription = await subscribe(admin, receiver.url, ['conversation.closed']);
    const rolledBack = await write('Closed, then not');
    const committed = await write('Closed for good');

    // A close whose transaction fails after its outbox entry was written: nothing follows.
    await expect(
      sqlTransaction(em, async (sql) => {
        await new ConversationStore(sql).close(admin.tenant.id, rolledBack, {
          type: 'closed',
          reason: 'manual',
          actorId: admin.user.id,
        });
        await appendToOutbox(sql, [
          {
            tenantId: admin.tenant.id,
            kind: 'routing-changed',
            payload: {
              conversationIds: [rolledBack],
              closedConversationIds: [rolledBack],
              wakeDispatcher: true,
              firstResponseChecks: [],
            },
          },
        ]);
        throw new Error('the close failed');
      }),
    ).rejects.toThrow('the close failed');
    const closed = await api.request('POST', `/api/conversations/${committed}/close`, {
      token: admin.token,
    });
    expect(closed.status).toBe(200);

    const received = await until(
      () => receiver.received,
      (all) => all.length > 0,
    );
    // Give a stray delivery the time to arrive (the outbox sweep runs every 5 s).
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(received.map((request) => request.body.data.id)).toEqual([committed]);
    expect((await deliveriesOf(admin, subscription.id)).map((item) => item.event)).toEqual([
      'conversation.closed',
    ]);
    const conversation = await api.request('GET', `/api/conversations/${rolledBack}`, {
      token: admin.token,
    });
    expect(conversation.body.status).not.toBe('closed');
  }, 30_000);

  it('retry a failed delivery by hand with the same id, and refuse one still pending', async () => {
    const { admin, em, write } = await tenantWithPage();
    let isUp = false;
    const receiver = await listen(() => (isUp ? 200 : 503));
    const subscription = await subscribe(admin, receiver.url, ['message.created']);
    await write('Nobody home');
    const [pending] = await until(
      () => deliveriesOf(admin, subscription.id),
      (log) => log[0]?.attempts === 1,
    );
    const retryUrl = `/api/webhook-subscriptions/${subscription.id}/deliveries/${pending!.id}/retry`;
    const early = await api.request('POST', retryUrl, { token: admin.token });
    expect([early.status, early.body.error.code]).toEqual([409, 'DELIVERY_PENDING']);

    // As if its day of retries had run out.
    await em
      .getConnection()
      .execute(
        `update outbound_webhook_delivery set status = 'failed', next_attempt_at = null where id = ?`,
        [pending!.id],
      );
    isUp = true;
    const retried = await api.request('POST', retryUrl, { token: admin.token });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: pending!.id, status: 'pending' });
    // At once: the job waiting out its backoff is moved up, not left to its turn (10 s).
    const received = await until(
      () => receiver.received,
      (all) => all.length >= 2,
      5_000,
    );
    expect(received.map((request) => request.headers['x-omni-delivery'])).toEqual([
      pending!.id,
      pending!.id,
    ]);
    expect(
      await until(
        () => deliveriesOf(admin, subscription.id),
        (log) => log[0]?.status === 'delivered',
      ),
    ).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2, responseStatus: 200 })]);
  });

  it('turn off a subscription whose endpoint has failed for 24 hours, log it, and stop its deliveries', async () => {
    const { admin, em, write } = await tenantWithPage();
    const receiver = await listen(() => 500);
    const subscription = await subscribe(admin, receiver.url, [
      'conversation.created',
      'message.created',
    ]);
    await em
      .getConnection()
      .execute(
        `update webhook_subscription set failing_since = now() - interval '25 hours' where id = ?`,
        [subscription.id],
      );
    await write('Into the void');
    const read = async () =>
      (await api.request('GET', '/api/webhook-subscriptions', { token: admin.token })).body
        .items[0];
    const disabled = await until(read, (item) => item.enabled === false);
    expect(disabled).toMatchObject({ id: subscription.id, enabled: false });
    expect(Date.parse(disabled.disabledAt)).not.toBeNaN();
    const log = await until(
      () => deliveriesOf(admin, subscription.id),
      (items) => items.length === 2 && items.every((item) => item.status === 'failed'),
    );
    expect(log.map((item) => item.status)).toEqual(['failed', 'failed']);
    const audit = await api.request('GET', '/api/audit-log?action=webhook.disabled', {
      token: admin.token,
    });
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'webhook.disabled',
        actor: expect.objectContaining({ name: 'Omni' }),
        target: expect.objectContaining({ type: 'webhook', id: subscription.id }),
      }),
    ]);
    // Turned on again, it starts afresh.
    const enabled = await api.request('PATCH', `/api/webhook-subscriptions/${subscription.id}`, {
      token: admin.token,
      body: { enabled: true },
    });
    expect(enabled.body).toMatchObject({ enabled: true, disabledAt: null, failingSince: null });
  });

  it('show the secret only once, keep it sealed, and never log it', async () => {
    const { admin, em } = await tenantWithPage();
    const receiver = await listen();
    const subscription = await subscribe(admin, receiver.url, ['message.created']);
    const list = await api.request('GET', '/api/webhook-subscriptions', { token: admin.token });
    expect(list.body.items).toEqual([
      {
        id: subscription.id,
        url: receiver.url,
        events: ['message.created'],
        enabled: true,
        disabledAt: null,
        failingSince: null,
        createdAt: expect.any(String),
      },
    ]);
    const patched = await api.request('PATCH', `/api/webhook-subscriptions/${subscription.id}`, {
      token: admin.token,
      body: { events: ['message.updated', 'conversation.assigned'] },
    });
    expect(patched.body.events).toEqual(['conversation.assigned', 'message.updated']);
    expect(JSON.stringify(patched.body)).not.toContain(subscription.secret);
    const [row] = await em
      .getConnection()
      .execute<{ secret_sealed: string }[]>(
        'select secret_sealed from webhook_subscription where id = ?',
        [subscription.id],
      );
    expect(row!.secret_sealed).not.toContain(subscription.secret.slice(6));
    const removed = await api.request('DELETE', `/api/webhook-subscriptions/${subscription.id}`, {
      token: admin.token,
    });
    expect(removed.status).toBe(204);
    const audit = await api.request('GET', '/api/audit-log', { token: admin.token });
    const webhookEntries = audit.body.items.filter((item: { action: string }) =>
      item.action.startsWith('webhook.'),
    );
    expect(webhookEntries.map((item: { action: string }) => item.action)).toEqual([
      'webhook.deleted',
      'webhook.updated',
      'webhook.created',
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(subscription.secret);
  });

  it("are another tenant's business: it can neither see, change nor retry them", async () => {
    const { admin, write } = await tenantWithPage();
    const receiver = await listen();
    const subscription = await subscribe(admin, receiver.url, ['message.created']);
    await write('Private');
    const [sent] = await until(
      () => deliveriesOf(admin, subscription.id),
      (log) => log[0]?.status === 'delivered',
    );
    const intruder = await signUpTenant(api);
    const base = `/api/webhook-subscriptions/${subscription.id}`;
    const attempts = await Promise.all([
      api.request('GET', `${base}/deliveries`, { token: intruder.token }),
      api.request('POST', `${base}/deliveries/${sent!.id}/retry`, { token: intruder.token }),
      api.request('PATCH', base, { token: intruder.token, body: { enabled: false } }),
      api.request('DELETE', base, { token: intruder.token }),
    ]);
    expect(attempts.map((attempt) => attempt.status)).toEqual([404, 404, 404, 404]);
    const theirs = await api.request('GET', '/api/webhook-subscriptions', {
      token: intruder.token,
    });
    expect(theirs.body.items).toEqual([]);
    expect(receiver.received).toHaveLength(1);
  });

  it('refuse URLs that are not https on a public host, with a code', async () => {
    const admin = await signUpTenant(strictApi);
    for (const url of [
      'http://example.com/hooks',
      'https://127.0.0.1/hooks',
      'https://10.1.2.3/hooks',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/hooks',
      'https://user:password@8.8.8.8/hooks',
    ]) {
      const refused = await strictApi.request('POST', '/api/webhook-subscriptions', {
        token: admin.token,
        body: { url, events: ['message.created'] },
      });
      expect([url, refused.status, refused.body.error.code]).toEqual([
        url,
        400,
        'WEBHOOK_URL_REFUSED',
      ]);
    }
    const created = await strictApi.request('POST', '/api/webhook-subscriptions', {
      token: admin.token,
      body: { url: 'https://8.8.8.8/hooks', events: ['message.created'] },
    });
    expect(created.status).toBe(201);
    const moved = await strictApi.request(
      'PATCH',
      `/api/webhook-subscriptions/${created.body.id}`,
      {
        token: admin.token,
        body: { url: 'https://192.168.0.10/hooks' },
      },
    );
    expect([moved.status, moved.body.error.code]).toEqual([400, 'WEBHOOK_URL_REFUSED']);
    const invalid = await strictApi.request('POST', '/api/webhook-subscriptions', {
      token: admin.token,
      body: { url: 'https://8.8.8.8/hooks', events: ['conversation.deleted'] },
    });
    expect([invalid.status, invalid.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('are for admins only', async () => {
    const admin = await signUpTenant(api);
    const operatorLogin = await api.request('POST', '/api/operators', {
      token: admin.token,
      body: {
        email: `op-${Date.now()}@example.test`,
        password: 'operator password',
        name: 'Operator',
        role: 'operator',
        departmentIds: [],
      },
    });
    expect(operatorLogin.status).toBe(201);
    const signedIn = await api.request('POST', '/api/auth/login', {
      body: { email: operatorLogin.body.email, password: 'operator password' },
    });
    const listed = await api.request('GET', '/api/webhook-subscriptions', {
      token: signedIn.body.token,
    });
    expect(listed.status).toBe(403);
  });
});
