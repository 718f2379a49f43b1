import { describe, expect, it } from 'vitest';
import { sqlTransaction } from '../db/sql.js';
import { createLogger } from '../logger.js';
import { handlersFor } from '../testing/outbox-handlers.js';
import { signUpTenant, useTestApi } from '../testing/test-api.js';
import { appendToOutbox } from './outbox.js';
import {
  FAILED_OUTBOX_RETENTION_DAYS,
  MAX_OUTBOX_ATTEMPTS,
  OutboxDispatcher,
} from './outbox-dispatcher.js';
import type { InboundFollowUpsPayload, OutboxEntryRef } from './outbox-map.js';

/**
 * The outbox on its own, with recording handlers: entries written in a transaction, claimed
 * and performed by dispatchers that a test runs. Its own database, so no other test file's
 * worker dispatches these entries.
 */
const api = useTestApi({}, { ownDatabase: true });

/** An entry's payload, marked so a test can tell its entries apart. */
function followUps(marker: string): InboundFollowUpsPayload {
  return {
    conversationIds: [marker],
    queuedConversationIds: [],
    newMessageIds: [],
    updatedMessageIds: [],
    attachmentDownloads: [],
    contactIdsNeedingProfile: [],
  };
}

/** A dispatcher whose handler records what it performed and fails for `failing` markers. */
function recordingDispatcher(failing: Set<string> = new Set()) {
  const performed: { marker: string; entry: OutboxEntryRef }[] = [];
  const dispatcher = new OutboxDispatcher(
    api.orm.em.fork(),
    handlersFor({
      'inbound-follow-ups': async (payload, entry) => {
        const marker = payload.conversationIds[0]!;
        if (failing.has(marker)) throw new Error(`handler refused ${marker}`);
        performed.push({ marker, entry });
      },
    }),
    createLogger(api.config),
  );
  return { dispatcher, performed, markers: () => performed.map(({ marker }) => marker) };
}

async function append(tenantId: string, markers: string[]): Promise<string[]> {
  return sqlTransaction(api.orm.em.fork(), (sql) =>
    appendToOutbox(
      sql,
      markers.map((marker) => ({
        tenantId,
        kind: 'inbound-follow-ups' as const,
        payload: followUps(marker),
      })),
    ),
  );
}

type EntryRow = {
  id: string;
  attempts: number;
  last_error: string | null;
  failed: boolean;
  /** Seconds from the last attempt to the next. */
  backoff: number;
};

async function entries(ids: string[]): Promise<EntryRow[]> {
  return api.orm.em.getConnection().execute<EntryRow[]>(
    `select id, attempts, last_error, failed_at is not null as failed,
       extract(epoch from available_at - updated_at)::float8 as backoff
     from outbox_entry where id = any(?::uuid[]) order by id`,
    [`{${ids.join(',')}}`],
  );
}

/** Makes entries due (and past the sweep's grace), as if their backoff had passed. */
async function makeDue(ids: string[]): Promise<void> {
  await api.orm.em
    .getConnection()
    .execute(
      `update outbox_entry set available_at = now() - interval '1 minute' where id = any(?::uuid[])`,
      [`{${ids.join(',')}}`],
    );
}

describe('the outbox', () => {
  it('keeps nothing of a transaction that rolled back', async () => {
    const { tenant } = await signUpTenant(api);
    await expect(
      sqlTransaction(api.orm.em.fork(), async (sql) => {
        await appendToOutbox(sql, [
          { tenantId: tenant.id, kind: 'inbound-follow-ups', payload: followUps('rolled back') },
        ]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const [row] = await api.orm.em
      .getConnection()
      .execute<{ count: number }[]>(
        'select count(*)::int as count from outbox_entry where tenant_id = ?',
        [tenant.id],
      );
    expect(row!.count).toBe(0);
  });

  it('performs committed entries once each, oldest first, with their tenant, then deletes them', async () => {
    const { tenant } = await signUpTenant(api);
    const ids = await append(tenant.id, ['first', 'second', 'third']);
    const { dispatcher, performed, markers } = recordingDispatcher();

    expect(await dispatcher.dispatch({ ids, graceMs: 0 })).toEqual({
      claimed: 3,
      performed: 3,
      failed: 0,
    });
    expect(markers()).toEqual(['first', 'second', 'third']);
    expect(performed.map(({ entry }) => [entry.id, entry.tenantId])).toEqual(
      ids.map((id) => [id, tenant.id]),
    );
    expect(await entries(ids)).toEqual([]);
    expect(await dispatcher.dispatch({ ids, graceMs: 0 })).toMatchObject({ claimed: 0 });
  });

  it('retries a failing entry with growing backoff without holding back the others, and keeps it as failed after the last attempt', async () => {
    const { tenant } = await signUpTenant(api);
    const [bad, ...good] = await append(tenant.id, ['bad', 'good 1', 'good 2']);
    const failing = new Set(['bad']);
    const { dispatcher, markers } = recordingDispatcher(failing);

    await dispatcher.dispatch({ ids: [bad!, ...good], graceMs: 0 });
    expect(markers()).toEqual(['good 1', 'good 2']);
    expect(await entries(good)).toEqual([]);
    expect(await entries([bad!])).toEqual([
      expect.objectContaining({
        attempts: 1,
        backoff: 1,
        failed: false,
        last_error: 'handler refused bad',
      }),
    ]);
    // Not due during its backoff: neither its fast path nor a sweep takes it.
    expect(await dispatcher.dispatch({ ids: [bad!], graceMs: 0 })).toMatchObject({ claimed: 0 });

    await makeDue([bad!]);
    await dispatcher.dispatchDue();
    expect(await entries([bad!])).toEqual([expect.objectContaining({ attempts: 2, backoff: 2 })]);

    await api.orm.em
      .getConnection()
      .execute('update outbox_entry set attempts = ? where id = ?', [MAX_OUTBOX_ATTEMPTS - 1, bad]);
    await makeDue([bad!]);
    await dispatcher.dispatchDue();
    expect(await entries([bad!])).toEqual([
      expect.objectContaining({ attempts: MAX_OUTBOX_ATTEMPTS, failed: true }),
    ]);
    await makeDue([bad!]);
    failing.clear();
    expect(await dispatcher.dispatch({ ids: [bad!], graceMs: 0 })).toMatchObject({ claimed: 0 });
    expect(markers()).not.toContain('bad');
  });

  it('performs an entry that failed once when it is due again, then deletes it', async () => {
    const { tenant } = await signUpTenant(api);
    const [id] = await append(tenant.id, ['flaky']);
    const failing = new Set(['flaky']);
    const { dispatcher, markers } = recordingDispatcher(failing);

    await dispatcher.dispatch({ ids: [id!], graceMs: 0 });
    failing.clear();
    await makeDue([id!]);
    await dispatcher.dispatchDue();

    expect(markers()).toEqual(['flaky']);
    expect(await entries([id!])).toEqual([]);
  });

  it('leaves fresh entries to the fast path for a moment, then the sweep performs them', async () => {
    const { tenant } = await signUpTenant(api);
    const ids = await append(tenant.id, ['left behind']);
    const { dispatcher, markers } = recordingDispatcher();

    await dispatcher.dispatchDue();
    expect(markers()).toEqual([]);
    await makeDue(ids);
    await dispatcher.dispatchDue();
    expect(markers()).toEqual(['left behind']);
    expect(await entries(ids)).toEqual([]);
  });

  it('performs all of a large commit at once on its fast path, batch after batch', async () => {
    const { tenant } = await signUpTenant(api);
    const markers = Array.from({ length: 120 }, (_, index) => `committed ${index}`);
    const ids = await append(tenant.id, markers);
    const { dispatcher, markers: performed } = recordingDispatcher();

    await dispatcher.dispatchCommitted(ids);

    expect(performed()).toEqual(markers);
    expect(await entries(ids)).toEqual([]);
  });

  it('shared by dispatchers running at once, performs each entry once', async () => {
    const { tenant } = await signUpTenant(api);
    const markers = Array.from({ length: 240 }, (_, index) => `entry ${index}`);
    const ids = await append(tenant.id, markers);
    await makeDue(ids);
    const dispatchers = [recordingDispatcher(), recordingDispatcher(), recordingDispatcher()];

    await Promise.all(dispatchers.map(({ dispatcher }) => dispatcher.dispatchDue()));

    const performed = dispatchers.flatMap((recording) => recording.markers());
    expect(performed.sort()).toEqual([...markers].sort());
    expect(await entries(ids)).toEqual([]);
  });

  it('is vacuumed after a fixed number of changes, not a share of the table (constant insert and delete)', async () => {
    const [table] = await api.orm.em
      .getConnection()
      .execute<{ options: string[] }[]>(
        `select reloptions as options from pg_class where oid = 'outbox_entry'::regclass`,
      );
    expect(table!.options).toEqual(
      expect.arrayContaining([
        'autovacuum_vacuum_scale_factor=0',
        'autovacuum_vacuum_threshold=1000',
        'autovacuum_vacuum_insert_scale_factor=0',
        'autovacuum_analyze_scale_factor=0',
        'autovacuum_vacuum_cost_delay=0',
      ]),
    );
  });

  it('deletes failed entries once they are older than the retention, and keeps the others', async () => {
    const { tenant } = await signUpTenant(api);
    const [expired, recent, pending] = await append(tenant.id, ['expired', 'recent', 'pending']);
    await api.orm.em.getConnection().execute(
      `update outbox_entry set failed_at = now() - case when id = ?
         then ?::int * interval '1 day' + interval '1 hour' else interval '1 day' end
       where id = any(?::uuid[])`,
      [expired, FAILED_OUTBOX_RETENTION_DAYS, `{${expired},${recent}}`],
    );

    expect(await recordingDispatcher().dispatcher.removeExpiredFailures()).toBe(1);
    expect((await entries([expired!, recent!, pending!])).map((row) => row.id)).toEqual([
      recent,
      pending,
    ]);
  });
});
