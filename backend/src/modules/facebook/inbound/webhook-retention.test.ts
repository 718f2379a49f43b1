import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signUpTenant, useTestApi } from '../../../testing/test-api.js';
import { WebhookRetention } from './webhook-retention.js';

/** Its own database: the sweep deletes across tenants. */
const api = useTestApi({}, { ownDatabase: true });

const DAY_MS = 24 * 60 * 60_000;

describe('webhook retention', () => {
  it('deletes finished deliveries past the retention, batch by batch, and keeps pending and recent ones', async () => {
    const admin = await signUpTenant(api);
    const sql = api.orm.em.fork().getConnection();
    const now = new Date();
    const store = async (status: string, ageDays: number) => {
      const id = randomUUID();
      await sql.execute(
        `insert into webhook_event (id, tenant_id, raw_body, page_ids, status, created_at)
         values (?, ?, convert_to(?, 'UTF8'), '{1}', ?, ?)`,
        [
          id,
          admin.tenant.id,
          `{"text": "a visitor's words ${id}"}`,
          status,
          new Date(now.getTime() - ageDays * DAY_MS),
        ],
      );
      return id;
    };
    const expired = [
      ...(await Promise.all([1, 2, 3, 4, 5].map(() => store('processed', 8)))),
      await store('ignored', 30),
      await store('failed', 7.5),
    ];
    const kept = [
      await store('pending', 30), // still to be processed, however late
      await store('processed', 6.9),
      await store('ignored', 1),
      await store('failed', 2),
    ];

    const retention = new WebhookRetention(api.orm.em.fork(), 7, 2);
    expect(await retention.removeExpired(now)).toBe(expired.length);
    const left = await sql.execute<{ id: string }[]>(
      'select id from webhook_event where tenant_id = ?',
      [admin.tenant.id],
    );
    expect(left.map((row) => row.id).sort()).toEqual([...kept].sort());
    expect(await retention.removeExpired(now)).toBe(0);
  });
});
