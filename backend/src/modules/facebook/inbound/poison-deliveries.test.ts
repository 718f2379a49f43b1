import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  postDelivery,
  signUpTenant,
  startTestWorker,
  useTestApi,
  type ConnectedPage,
  type SignedIn,
} from '../../../testing/test-api.js';
import { MAX_PROCESSING_ATTEMPTS } from './inbound.service.js';
import {
  delivery,
  entry,
  textMessage,
  type MessagingItem,
} from '../../../testing/messenger-fixtures.js';

/**
 * Validly signed deliveries carrying values Omni cannot store as they are (what a fuzzer of
 * the webhook found): none may answer 5xx, halt the queue for other tenants, lose a valid
 * sibling event, or stay pending first in line. This file has its own database, because its
 * fault triggers (below) must not reach other files.
 */
const api = useTestApi({}, { ownDatabase: true });
let worker: { stop: () => Promise<void> };

/**
 * Faults that no validation can prevent, on demand: a message whose text starts with
 * `poison:` fails its insert (PostgreSQL's error quotes the text, as real errors quote
 * values); a delivery whose body holds `poison-row` is refused by the webhook's INSERT with
 * a data exception, as content the checks upstream missed would be.
 */
beforeAll(async () => {
  for (const statement of [
    `create function refuse_poison_message() returns trigger language plpgsql as $$
     begin raise exception 'refused message %', new.text; end $$`,
    `create trigger refuse_poison_message before insert on message for each row
     when (new.text like 'poison:%') execute function refuse_poison_message()`,
    `create function refuse_poison_row() returns trigger language plpgsql as $$
     begin raise exception 'unstorable delivery' using errcode = '22023'; end $$`,
    `create trigger refuse_poison_row before insert on webhook_event for each row
     when (position(convert_to('poison-row', 'UTF8') in new.raw_body) > 0)
     execute function refuse_poison_row()`,
  ]) {
    await sql(statement);
  }
  worker = await startTestWorker(api);
});
afterAll(() => worker?.stop());

type Tenant = { admin: SignedIn; connected: ConnectedPage; pageId: string };

async function tenantWithPage(): Promise<Tenant> {
  const admin = await signUpTenant(api);
  const connected = await connectFacebookPage(api, admin.token);
  return { admin, connected, pageId: connected.page.pageId };
}

function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return api.orm.em.getConnection().execute<T[]>(text, params);
}

let visitors = 0;
const newPsid = () => `8100${Date.now()}${visitors++}`;

function say(tenant: Tenant, text: string, fields: Partial<{ psid: string; mid: string }> = {}) {
  return textMessage({ psid: newPsid(), pageId: tenant.pageId, text, ...fields });
}

/** POSTs exact bytes, signed as Facebook signs them (the test client only sends strings). */
async function postBytes(tenant: Tenant, body: Buffer): Promise<number> {
  const signature = createHmac('sha256', tenant.connected.appSecret).update(body).digest('hex');
  const response = await fetch(`${api.url}/api/webhooks/facebook/${tenant.admin.tenant.key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
    body,
  });
  return response.status;
}

async function textsOf(tenant: Tenant): Promise<string[]> {
  const rows = await sql<{ text: string }>(
    'select text from message where tenant_id = ? order by text',
    [tenant.admin.tenant.id],
  );
  return rows.map((row) => row.text);
}

type DeliveryRow = {
  status: string;
  attempts: number;
  last_error: string | null;
  diagnostics: { type: string; reason?: string }[];
  later: boolean;
  ignored_reason: string | null;
  has_body: boolean;
};

function deliveriesOf(tenant: Tenant): Promise<DeliveryRow[]> {
  return sql<DeliveryRow>(
    `select status, attempts, last_error, diagnostics, ignored_reason,
       raw_body is not null as has_body, coalesce(process_after > now(), false) as later
     from webhook_event where tenant_id = ? order by created_at`,
    [tenant.admin.tenant.id],
  );
}

/** The JSON with bytes 0xff 0xfe (never UTF-8) right after `bytes:` in a string. */
function withInvalidUtf8(json: string): Buffer {
  const [head, tail] = json.split('bytes:');
  return Buffer.concat([
    Buffer.from(`${head}bytes:`),
    Buffer.from([0xff, 0xfe]),
    Buffer.from(tail!),
  ]);
}

describe('poisonous deliveries', () => {
  it('become diagnostics or postponed failures; their valid siblings and other tenants are stored at once', async () => {
    const poisoned = await tenantWithPage();
    const clean = await tenantWithPage();
    const { pageId } = poisoned;
    const withSibling = (index: number, ...poison: MessagingItem[]) =>
      delivery(entry(pageId, ...poison, say(poisoned, `sibling ${index}`)));
    const bodies: (string | Buffer)[] = [
      JSON.stringify(withSibling(0, say(poisoned, 'long mid', { mid: `m_${'x'.repeat(300)}` }))),
      JSON.stringify(withSibling(1, say(poisoned, 'long sender', { psid: '7'.repeat(100) }))),
      JSON.stringify(withSibling(2, say(poisoned, 'nul\u0000text'))),
      JSON.stringify(withSibling(3, say(poisoned, 'half \ud83d emoji'))),
      JSON.stringify(
        withSibling(4, { ...say(poisoned, 'far future'), timestamp: Date.UTC(10_000, 0, 1) }),
      ),
      // An entry of no page (its id holds U+0000) beside the page's own entry.
      JSON.stringify(
        delivery(
          { id: `${pageId}\u0000`, time: Date.now(), messaging: [say(poisoned, 'nowhere')] },
          entry(pageId, say(poisoned, 'sibling 5')),
        ),
      ),
      withInvalidUtf8(JSON.stringify(withSibling(6, say(poisoned, 'bytes:')))),
      // A failure whose recorded reason quotes hundreds of emoji: cut inside one, it would
      // have failed to be recorded and stayed first in line forever.
      JSON.stringify(delivery(entry(pageId, say(poisoned, `poison:${'😀'.repeat(600)}`)))),
    ];
    for (const body of bodies) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      expect(await postBytes(poisoned, bytes)).toBe(200);
    }
    const response = await postDelivery(
      api,
      clean.admin.tenant.key,
      delivery(entry(clean.pageId, say(clean, 'clean after the poison'))),
      clean.connected.appSecret,
    );
    expect(response.status).toBe(200);

    await expect
      .poll(() => textsOf(clean), { timeout: 10_000 })
      .toEqual(['clean after the poison']);
    await expect
      .poll(
        async () =>
          (await deliveriesOf(poisoned)).every((row) => row.status !== 'pending' || row.later),
        { timeout: 10_000 },
      )
      .toBe(true);

    const texts = await textsOf(poisoned);
    for (let index = 0; index <= 6; index++) expect(texts).toContain(`sibling ${index}`);
    expect(texts).toEqual(
      expect.arrayContaining(['nultext', 'half \ufffd emoji', 'bytes:\ufffd\ufffd']),
    );
    expect(texts).not.toContain('nowhere');

    const rows = await deliveriesOf(poisoned);
    expect(rows.map((row) => row.status)).toEqual([...Array(7).fill('processed'), 'pending']);
    const invalid = rows.flatMap((row) => row.diagnostics).filter(({ type }) => type === 'invalid');
    expect(invalid.map((diagnostic) => diagnostic.reason).sort()).toEqual([
      'message.mid',
      'sender.id',
      'timestamp',
    ]);
    const failed = rows[7]!;
    // Postponed with its reason (a slow run may have seen its second attempt already).
    expect(failed.attempts).toBeGreaterThanOrEqual(1);
    expect(failed.attempts).toBeLessThan(MAX_PROCESSING_ATTEMPTS);
    expect(failed.last_error).toMatch(/😀…$/u);
  });

  it('of one tenant among 40 concurrent deliveries of two fail nobody else', async () => {
    const tenants = [await tenantWithPage(), await tenantWithPage()];
    const posts = Array.from({ length: 40 }, (_, index) => {
      const tenant = tenants[index % 2]!;
      const text = index === 17 ? 'poison-row' : `concurrent ${index}`;
      return postDelivery(
        api,
        tenant.admin.tenant.key,
        delivery(entry(tenant.pageId, say(tenant, text))),
        tenant.connected.appSecret,
      );
    });
    // One with a U+0000 in an entry id too, which once failed the INSERT of its whole group.
    const [first] = tenants;
    const nulId = JSON.stringify(
      delivery(
        { id: `1\u0000`, time: Date.now(), messaging: [] },
        entry(first!.pageId, say(first!, 'beside a NUL id')),
      ),
    );
    posts.push(postDelivery(api, first!.admin.tenant.key, nulId, first!.connected.appSecret));
    // Another object than "page" is noted by name, U+0000 and all.
    const otherObject = JSON.stringify({ object: 'insta\u0000gram', entry: [{ id: '1' }] });
    posts.push(postDelivery(api, first!.admin.tenant.key, otherObject, first!.connected.appSecret));

    const statuses = (await Promise.all(posts)).map((response) => response.status);
    expect(statuses).toEqual(Array(42).fill(200));

    const rows = [...(await deliveriesOf(tenants[0]!)), ...(await deliveriesOf(tenants[1]!))];
    expect(rows.filter((row) => row.has_body)).toHaveLength(40);
    expect(
      rows.filter((row) => !row.has_body).map((row) => [row.status, row.ignored_reason]),
    ).toEqual(
      expect.arrayContaining([
        ['ignored', 'UNSTORABLE:22023'],
        ['ignored', 'UNSUPPORTED_OBJECT:instagram'],
      ]),
    );
  });
});
