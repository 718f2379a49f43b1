import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import {
  connectFacebookPage,
  connectPageOfSameApp,
  signedHeaders,
  signUpTenant,
  startTestApi,
  useTestApi,
  type ConnectedPage,
} from '../../testing/test-api.js';
import { TcpProxy } from '../../testing/tcp-proxy.js';
import { REASON_CODE_POINTS, WebhookEvent } from './webhook-event.entity.js';

const api = useTestApi();

/** A text message delivery as Facebook sends it (messenger-platform.md). */
function textDelivery(pageIds: string[], text = 'hello'): string {
  return JSON.stringify({
    object: 'page',
    entry: pageIds.map((pageId) => ({
      id: pageId,
      time: Date.now(),
      messaging: [
        {
          sender: { id: '24681357' },
          recipient: { id: pageId },
          timestamp: Date.now(),
          message: { mid: `m_${Math.random().toString(36).slice(2)}`, text },
        },
      ],
    })),
  });
}

function storedEvents(tenantId: string): Promise<WebhookEvent[]> {
  return api.orm.em
    .fork()
    .find(
      WebhookEvent,
      { tenant: tenantId },
      { filters: { [TENANT_FILTER]: false }, orderBy: { createdAt: 'asc' } },
    );
}

async function setUp(): Promise<{
  tenant: { id: string; key: string };
  connected: ConnectedPage;
  path: string;
  adminToken: string;
}> {
  const admin = await signUpTenant(api);
  const connected = await connectFacebookPage(api, admin.token);
  return {
    tenant: admin.tenant,
    connected,
    path: `/api/webhooks/facebook/${admin.tenant.key}`,
    adminToken: admin.token,
  };
}

describe("Facebook's verification handshake", () => {
  it('echoes the challenge as plain text for a page confirmation code, and marks the page verified', async () => {
    const { connected, path, adminToken } = await setUp();
    const query = `hub.mode=subscribe&hub.verify_token=${encodeURIComponent(connected.page.verifyToken)}&hub.challenge=1158201444`;
    const response = await api.request('GET', `${path}?${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.body).toBe('1158201444');
    const page = await api.request('GET', `/api/channels/facebook/${connected.page.id}`, {
      token: adminToken,
    });
    expect(page.body.status.webhookVerifiedAt).toEqual(expect.any(String));
  });

  it('refuses a wrong code, a wrong mode and an unknown workspace with 403', async () => {
    const { connected, path } = await setUp();
    const token = encodeURIComponent(connected.page.verifyToken);
    for (const url of [
      `${path}?hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1`,
      `${path}?hub.mode=unsubscribe&hub.verify_token=${token}&hub.challenge=1`,
      `${path}?hub.mode=subscribe&hub.verify_token=${token}`,
      `/api/webhooks/facebook/unknown-key?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1`,
    ]) {
      expect((await api.request('GET', url)).status, url).toBe(403);
    }
  });
});

describe('webhook deliveries', () => {
  it('are stored, exactly as signed, before they are acknowledged', async () => {
    const { tenant, connected, path } = await setUp();
    const body = textDelivery([connected.page.pageId]);
    const response = await api.request('POST', path, {
      rawBody: body,
      headers: signedHeaders(body, connected.appSecret),
    });
    expect(response.status).toBe(200);
    const [event, ...others] = await storedEvents(tenant.id);
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      rawBody: Buffer.from(body),
      pageIds: [connected.page.pageId],
      status: 'pending',
    });
  });

  it("verify the signature over the exact bytes, with Facebook's \\u and \\/ escapes", async () => {
    const { tenant, connected, path } = await setUp();
    // Re-serialising this body would turn \u00e9 into é and \/ into /, and break the HMAC.
    const body = textDelivery(
      [connected.page.pageId],
      'caf\\u00e9 https:\\/\\/example.com',
    ).replace('"caf\\\\u00e9 https:\\\\/\\\\/example.com"', '"caf\\u00e9 https:\\/\\/example.com"');
    expect(body).toContain('caf\\u00e9 https:\\/\\/example.com');
    const response = await api.request('POST', path, {
      rawBody: body,
      headers: signedHeaders(body, connected.appSecret),
    });
    expect(response.status).toBe(200);
    expect((await storedEvents(tenant.id))[0]?.rawBody?.toString('utf8')).toBe(body);
  });

  it('without a signature answer 401, with a wrong one 403, and store nothing', async () => {
    const { tenant, connected, path } = await setUp();
    const body = textDelivery([connected.page.pageId]);
    const unsigned = await api.request('POST', path, {
      rawBody: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe('SIGNATURE_MISSING');
    const forged = await api.request('POST', path, {
      rawBody: body,
      headers: signedHeaders(body, 'not the app secret'),
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('SIGNATURE_INVALID');
    const tampered = await api.request('POST', path, {
      rawBody: body.replace('hello', 'hellO'),
      headers: signedHeaders(body, connected.appSecret),
    });
    expect(tampered.status).toBe(403);
    expect(await storedEvents(tenant.id)).toEqual([]);
  });

  it('that are malformed, oversized or for an unknown workspace are refused and store nothing', async () => {
    const { tenant, connected, path } = await setUp();
    const malformed = '{"object": "page", "entry": [';
    const bad = await api.request('POST', path, {
      rawBody: malformed,
      headers: signedHeaders(malformed, connected.appSecret),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_JSON');
    const notMessenger = JSON.stringify({ hello: 'world' });
    const wrongShape = await api.request('POST', path, {
      rawBody: notMessenger,
      headers: signedHeaders(notMessenger, connected.appSecret),
    });
    expect(wrongShape.body.error.code).toBe('INVALID_PAYLOAD');
    const huge = textDelivery([connected.page.pageId], 'x'.repeat(1_100_000));
    const oversized = await api.request('POST', path, {
      rawBody: huge,
      headers: signedHeaders(huge, connected.appSecret),
    });
    expect(oversized.status).toBe(413);
    const body = textDelivery([connected.page.pageId]);
    const unknownTenant = await api.request('POST', '/api/webhooks/facebook/no-such-key', {
      rawBody: body,
      headers: signedHeaders(body, connected.appSecret),
    });
    expect(unknownTenant.status).toBe(404);
    expect(await storedEvents(tenant.id)).toEqual([]);
  });

  it('for a page this workspace does not have are acknowledged and not stored', async () => {
    const { tenant, path } = await setUp();
    const body = textDelivery(['999000111222333']);
    const response = await api.request('POST', path, {
      rawBody: body,
      headers: signedHeaders(body, 'whatever'),
    });
    expect(response.status).toBe(200);
    expect(await storedEvents(tenant.id)).toEqual([]);
  });

  it("of another tenant's page are not accepted through this tenant's address", async () => {
    const { tenant, path } = await setUp();
    const other = await setUp();
    const body = textDelivery([other.connected.page.pageId]);
    const response = await api.request('POST', path, {
      rawBody: body,
      headers: signedHeaders(body, other.connected.appSecret),
    });
    expect(response.status).toBe(200);
    expect(await storedEvents(tenant.id)).toEqual([]);
    expect(await storedEvents(other.tenant.id)).toEqual([]);
  });

  it("keep only this workspace's pages' entries of a delivery that also names others", async () => {
    const { tenant, connected, path } = await setUp();
    const body = textDelivery([connected.page.pageId, '999000111222333']);
    const response = await api.request('POST', path, {
      rawBody: body,
      headers: signedHeaders(body, connected.appSecret),
    });
    expect(response.status).toBe(200);
    const [event] = await storedEvents(tenant.id);
    expect(event!.pageIds).toEqual([connected.page.pageId]);
    const stored = JSON.parse(event!.rawBody!.toString('utf8')) as { entry: { id: string }[] };
    expect(stored.entry.map((entry) => entry.id)).toEqual([connected.page.pageId]);
  });

  it('with entries of several pages sharing one app secret are stored once', async () => {
    const admin = await signUpTenant(api);
    const first = await connectFacebookPage(api, admin.token);
    const second = await connectPageOfSameApp(api, admin.token, first);
    const body = textDelivery([first.page.pageId, second.page.pageId]);
    const response = await api.request('POST', `/api/webhooks/facebook/${admin.tenant.key}`, {
      rawBody: body,
      headers: signedHeaders(body, first.appSecret),
    });
    expect(response.status).toBe(200);
    const events = await storedEvents(admin.tenant.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.pageIds.sort()).toEqual([first.page.pageId, second.page.pageId].sort());
  });

  it('answer 5xx while PostgreSQL is unreachable, so that Facebook retries them', async () => {
    const databaseUrl = new URL(api.config.databaseUrl);
    const proxy = new TcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
    databaseUrl.hostname = '127.0.0.1';
    databaseUrl.port = String(await proxy.start());
    const outageApi = await startTestApi({ DATABASE_URL: databaseUrl.toString() });
    try {
      const admin = await signUpTenant(outageApi);
      const connected = await connectFacebookPage(outageApi, admin.token);
      await proxy.cut();
      const body = textDelivery([connected.page.pageId]);
      const response = await outageApi.request(
        'POST',
        `/api/webhooks/facebook/${admin.tenant.key}`,
        {
          rawBody: body,
          headers: signedHeaders(body, connected.appSecret),
        },
      );
      expect(response.status).toBeGreaterThanOrEqual(500);
      await proxy.restore();
      await expect
        .poll(
          async () => {
            const retry = await outageApi.request(
              'POST',
              `/api/webhooks/facebook/${admin.tenant.key}`,
              {
                rawBody: body,
                headers: signedHeaders(body, connected.appSecret),
              },
            );
            return retry.status;
          },
          { timeout: 10_000 },
        )
        .toBe(200);
      expect(await storedEvents(admin.tenant.id)).toHaveLength(1);
    } finally {
      await outageApi.stop();
      await proxy.cut();
    }
  });

  it('for a deactivated page are still stored', async () => {
    const { tenant, connected, path, adminToken } = await setUp();
    await api.request('PATCH', `/api/channels/facebook/${connected.page.id}`, {
      token: adminToken,
      body: { active: false },
    });
    const body = textDelivery([connected.page.pageId]);
    expect(
      (
        await api.request('POST', path, {
          rawBody: body,
          headers: signedHeaders(body, connected.appSecret),
        })
      ).status,
    ).toBe(200);
    expect((await storedEvents(tenant.id)).map((event) => event.status)).toEqual(['pending']);
  });
});

describe('the webhook cannot be used to fill the disk', () => {
  let redis: Redis | undefined;
  afterAll(() => redis?.disconnect());

  /** What the whole table holds: rows and bytes (indexes and TOAST included). */
  async function webhookEventTable(): Promise<{ rows: number; bytes: number }> {
    const [row] = await api.orm.em
      .fork()
      .getConnection()
      .execute<{ rows: number; bytes: string }[]>(
        `select (select count(*)::int from webhook_event) as rows,
           pg_total_relation_size('webhook_event') as bytes`,
      );
    return { rows: row!.rows, bytes: Number(row!.bytes) };
  }

  /** The tenant key's count of unverifiable deliveries in the current window (Redis). */
  async function countedFor(tenantKey: string): Promise<number> {
    redis ??= new Redis(api.config.redisUrl);
    return Number(await redis.get(`${api.config.redisPrefix}:webhook-unverified:${tenantKey}`));
  }

  it('stores nothing of a flood of unsigned, forged and unknown-page deliveries, and counts it', async () => {
    const { connected, path, tenant } = await setUp();
    const before = await webhookEventTable();
    const body = textDelivery([connected.page.pageId], 'x'.repeat(50_000));
    const flood = [
      ...Array.from({ length: 10 }, () => ({ headers: { 'content-type': 'application/json' } })),
      ...Array.from({ length: 10 }, () => ({ headers: signedHeaders(body, 'a guessed secret') })),
    ].map((options) => ({ ...options, rawBody: body }));
    for (const pageId of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']) {
      const forUnknownPage = textDelivery([pageId], 'x'.repeat(50_000));
      flood.push({ rawBody: forUnknownPage, headers: signedHeaders(forUnknownPage, 'guess') });
    }
    const unsupported = JSON.stringify({ object: 'instagram', entry: [{ id: '1' }] });
    flood.push({ rawBody: unsupported, headers: signedHeaders(unsupported, 'guess') });

    const statuses = await Promise.all(
      flood.map((options) => api.request('POST', path, options).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 403)).toHaveLength(10);
    // Unknown pages and other objects: acknowledged, as Facebook's own would be.
    expect(statuses.filter((status) => status === 200)).toHaveLength(11);
    expect(await webhookEventTable()).toEqual(before);
    expect(await storedEvents(tenant.id)).toEqual([]);
    expect(await countedFor(tenant.key)).toBe(31);
  });

  it('keeps a validly signed delivery of another object, without its body and with a bounded reason', async () => {
    const { connected, path, tenant } = await setUp();
    const object = `${'o'.repeat(REASON_CODE_POINTS)}😀😀`;
    const body = JSON.stringify({ object, entry: [{ id: connected.page.pageId }] });
    const signed = await api.request('POST', path, {
      rawBody: body,
      headers: signedHeaders(body, connected.appSecret),
    });
    expect(signed.status).toBe(200);
    const [event, ...others] = await storedEvents(tenant.id);
    expect(others).toEqual([]);
    expect(event).toMatchObject({ status: 'ignored', rawBody: null });
    expect(event!.ignoredReason!.startsWith('UNSUPPORTED_OBJECT:ooo')).toBe(true);
    expect([...event!.ignoredReason!]).toHaveLength(REASON_CODE_POINTS);
    expect(/\p{Cs}/u.test(event!.ignoredReason!)).toBe(false);
  });

  it('answers 429 past the limit without any database work, and still takes what Facebook signs', async () => {
    const databaseUrl = new URL(api.config.databaseUrl);
    const proxy = new TcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
    databaseUrl.hostname = '127.0.0.1';
    databaseUrl.port = String(await proxy.start());
    const limitedApi = await startTestApi({
      DATABASE_URL: databaseUrl.toString(),
      WEBHOOK_UNVERIFIED_PER_MINUTE: '5',
    });
    try {
      const admin = await signUpTenant(limitedApi);
      const connected = await connectFacebookPage(limitedApi, admin.token);
      const path = `/api/webhooks/facebook/${admin.tenant.key}`;
      const genuine = textDelivery([connected.page.pageId]);
      const post = (headers: Record<string, string>) =>
        limitedApi.request('POST', path, { rawBody: genuine, headers });
      expect((await post(signedHeaders(genuine, connected.appSecret))).status).toBe(200);

      const unsigned = { 'content-type': 'application/json' };
      for (let attempt = 1; attempt <= 5; attempt++)
        expect((await post(unsigned)).status).toBe(401);
      const throttled = await post(unsigned);
      expect(throttled.status).toBe(429);
      expect(throttled.body.error.code).toBe('TOO_MANY_UNVERIFIED_DELIVERIES');
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);

      await proxy.cut(); // no database: a request that needed one would fail with 5xx
      for (const headers of [unsigned, signedHeaders(genuine, 'forged')]) {
        expect((await post(headers)).status).toBe(429);
      }
      await proxy.restore();
      // The page's secret is still in memory: Facebook's deliveries get through the flood.
      expect((await post(signedHeaders(genuine, connected.appSecret))).status).toBe(200);
      expect(await storedEvents(admin.tenant.id)).toHaveLength(2);
    } finally {
      await limitedApi.stop();
      await proxy.cut();
    }
  });
});
