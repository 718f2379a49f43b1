import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { sqlTransaction } from '../../../db/sql.js';
import { createLogger } from '../../../logger.js';
import { connectFacebookPage, signUpTenant, useTestApi } from '../../../testing/test-api.js';
import { InboundService, type InboundOutcome } from './inbound.service.js';
import { InboundStore, type ClaimedDelivery } from './inbound-store.js';
import { delivery, entry, textMessage } from '../../../testing/messenger-fixtures.js';

/**
 * One tenant's backlog must not delay the others: the claim shares each batch between the
 * tenants with due deliveries, then between a tenant's pages. The file has its own database,
 * so every pending row is one of its tests'.
 */
const api = useTestApi({}, { ownDatabase: true });

const BATCH = 100;

/** Stores pending deliveries of one tenant and page, oldest first, as the webhook would. */
async function store(
  tenantId: string,
  pageId: string,
  bodies: string[],
  firstCreatedAt: number,
): Promise<string[]> {
  const ids = bodies.map(() => uuidv7());
  await api.orm.em
    .getKnex()('webhook_event')
    .insert(
      bodies.map((body, index) => ({
        id: ids[index],
        tenant_id: tenantId,
        raw_body: body,
        page_ids: [pageId],
        created_at: new Date(firstCreatedAt + index),
      })),
    );
  return ids;
}

/** Claims one batch, as a drain does, and lets it go again (nothing is processed). */
function claimOnce(): Promise<ClaimedDelivery[]> {
  return sqlTransaction(api.orm.em, (sql) => new InboundStore(sql).claim({ limit: BATCH }));
}

async function clearPending(): Promise<void> {
  await api.orm.em.getConnection().execute(`delete from webhook_event where status = 'pending'`);
}

const body = (text: string) => JSON.stringify({ object: 'page', entry: [], text });

describe('claiming a batch', () => {
  it("takes another tenant's later delivery in the first batch, beside the oldest of a 500-delivery backlog", async () => {
    await clearPending();
    const flooding = await signUpTenant(api);
    const quiet = await signUpTenant(api);
    const start = Date.now() - 60_000;
    const backlog = await store(
      flooding.tenant.id,
      '1001',
      Array.from({ length: 500 }, (_, index) => body(`flood ${index}`)),
      start,
    );
    const [late] = await store(quiet.tenant.id, '2001', [body('hello')], start + 10_000);

    const claimed = await claimOnce();

    expect(claimed).toHaveLength(BATCH);
    expect(claimed.map((row) => row.id)).toContain(late);
    // The backlog's share is its oldest deliveries, in arrival order.
    expect(
      claimed.filter((row) => row.tenantId === flooding.tenant.id).map((row) => row.id),
    ).toEqual(backlog.slice(0, BATCH - 1));
  });

  it('shares a batch between a busy page and a quiet page of one tenant', async () => {
    await clearPending();
    const admin = await signUpTenant(api);
    const start = Date.now() - 60_000;
    await store(
      admin.tenant.id,
      '3001',
      Array.from({ length: 500 }, () => body('busy')),
      start,
    );
    const quiet = await store(admin.tenant.id, '3002', [body('a'), body('b')], start + 10_000);

    const claimed = await claimOnce();

    expect(claimed).toHaveLength(BATCH);
    expect(claimed.map((row) => row.id)).toEqual(expect.arrayContaining(quiet));
  });

  it('splits a batch evenly between tenants that each have more than their share', async () => {
    await clearPending();
    const tenants = await Promise.all([signUpTenant(api), signUpTenant(api), signUpTenant(api)]);
    const start = Date.now() - 60_000;
    for (const [position, admin] of tenants.entries()) {
      await store(
        admin.tenant.id,
        `400${position}`,
        Array.from({ length: 200 }, () => body('many')),
        start + position * 1_000,
      );
    }

    const claimed = await claimOnce();

    const perTenant = tenants.map(
      (admin) => claimed.filter((row) => row.tenantId === admin.tenant.id).length,
    );
    // 100 over three: the tenant waiting longest gets the one left over.
    expect(perTenant).toEqual([34, 33, 33]);
  });

  it('lets a second worker take the next full batch of a backlog the first one holds', async () => {
    await clearPending();
    const admin = await signUpTenant(api);
    const ids = await store(
      admin.tenant.id,
      '5001',
      Array.from({ length: 300 }, () => body('x')),
      Date.now() - 60_000,
    );

    const [first, second] = await sqlTransaction(api.orm.em, async (sql) => {
      const held = await new InboundStore(sql).claim({ limit: BATCH });
      return [held, await claimOnce()];
    });

    expect(first.map((row) => row.id)).toEqual(ids.slice(0, BATCH));
    expect(second.map((row) => row.id)).toEqual(ids.slice(BATCH, 2 * BATCH));
  });
});

describe('draining behind a backlog', () => {
  it("stores another tenant's message in the first batch it commits", async () => {
    await clearPending();
    const flooding = await signUpTenant(api);
    const floodingPage = await connectFacebookPage(api, flooding.token);
    const quiet = await signUpTenant(api);
    const quietPage = await connectFacebookPage(api, quiet.token);
    const start = Date.now() - 60_000;
    const pageId = floodingPage.page.pageId;
    await store(
      flooding.tenant.id,
      pageId,
      Array.from({ length: 500 }, (_, index) =>
        JSON.stringify(
          delivery(
            entry(
              pageId,
              textMessage({ psid: `7800${index % 20}`, pageId, text: `flood ${index}` }),
            ),
          ),
        ),
      ),
      start,
    );
    await store(
      quiet.tenant.id,
      quietPage.page.pageId,
      [
        JSON.stringify(
          delivery(
            entry(
              quietPage.page.pageId,
              textMessage({ psid: '78999', pageId: quietPage.page.pageId, text: 'hello' }),
            ),
          ),
        ),
      ],
      start + 10_000,
    );

    const batches: InboundOutcome[][] = [];
    await new InboundService(api.orm.em.fork(), createLogger(api.config)).drain(
      async (outcomes) => {
        batches.push(outcomes);
      },
    );

    expect(batches.length).toBeGreaterThan(1);
    const first = batches[0]!.find((outcome) => outcome.tenantId === quiet.tenant.id);
    expect(first?.newMessageIds).toHaveLength(1);
  });
});
