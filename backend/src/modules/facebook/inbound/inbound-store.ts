import { pgArray, pgRecords, type Sql } from '../../../db/sql.js';
import type { MessageStatus } from '../../conversations/message.entity.js';
import {
  boundDiagnostics,
  boundReason,
  DIAGNOSTICS_PER_DELIVERY,
  type WebhookDiagnostic,
} from '../webhook-event.entity.js';

/**
 * The statements of inbound processing, each one for a whole batch of deliveries: rows go in
 * as one JSON parameter (`jsonb_to_recordset`), so a batch of a hundred deliveries costs
 * about as many round trips as one. Everything runs in the caller's transaction. A batch
 * mixes tenants, so every statement runs across tenants: each row carries the tenant of its
 * delivery, and pages are found by (tenant, page id), contacts and messages by page row.
 * Conversations are ConversationStore's.
 */

/** A stored delivery claimed for processing (its row stays locked until commit). */
export type ClaimedDelivery = {
  id: string;
  tenantId: string;
  rawBody: string;
  pageIds: string[];
  attempts: number;
  createdAt: Date;
};

/** What processing needs of a page: `id` is Omni's row, `pageId` Facebook's. */
export type PageRow = {
  id: string;
  tenantId: string;
  pageId: string;
  departmentId: string | null;
  lastEventAt: Date | null;
  /**
   * The departments the page's menu offers now (enabled, active page; options whose
   * department is gone are gone with it); empty: no menu, new conversations queue at once.
   */
  departmentMenuIds: string[];
  /** Omni is secondary receiver beside a primary app (handover protocol). */
  handoverEnabled: boolean;
  /** Omni's app for this page (`GET /app`), which handover events name; null until probed. */
  appId: string | null;
};

/** A contact, locked for the rest of the transaction. */
export type LockedContact = {
  id: string;
  pageRowId: string;
  psid: string;
  lastInboundAt: Date | null;
  profileFetchedAt: Date | null;
  profileRequestedAt: Date | null;
};

export type NewMessage = {
  id: string;
  tenantId: string;
  conversationId: string;
  pageRowId: string;
  direction: 'in' | 'out';
  source: 'visitor' | 'page_inbox';
  kind: string;
  text: string | null;
  attachments: unknown[];
  mid: string | null;
  dedupKey: string;
  occurredAt: Date;
  status: MessageStatus | null;
  details: Record<string, unknown>;
};

/** A message that changed, with the conversation to push again. */
export type ChangedMessage = { id: string; tenantId: string; conversationId: string };

export type Receipt = { pageRowId: string; contactId: string; watermark: Date; mids: string[] };

export type Diagnostic = WebhookDiagnostic;

type KeyOnPage = { pageRowId: string; key: string };

/** The deliveries of one tenant whose first page is `pageId` (Facebook's): a claim's unit of fairness. */
type PageQueue = { tenantId: string; pageId: string };

/** A claim asks again at most this often for the shares that queues left unused. */
const CLAIM_ROUNDS = 3;

/** The ORM's connection hands timestamps over as text (it parses them itself). */
type Timestamp = string | Date;

type ClaimedDeliveryRow = {
  id: string;
  tenant_id: string;
  raw_body: Buffer;
  page_ids: string[];
  attempts: number;
  created_at: Timestamp;
};

/** A queue's share, with one of the deliveries it got or, when it got none, nulls. */
type ShareRow = { queue_tenant_id: string; queue_page_id: string; share: number } & (
  ClaimedDeliveryRow | { [Column in keyof ClaimedDeliveryRow]: null }
);

export class InboundStore {
  constructor(private readonly sql: Sql) {}

  /**
   * Pending deliveries that are due, locked; another worker skips them and takes the next
   * ones, so workers never wait for each other here. A batch is shared round-robin: first
   * between the tenants with due deliveries, then within a tenant between its pages (a
   * delivery counts for the first page it names), each page's share taken oldest first. So a
   * tenant's backlog takes at most its share of every batch and another tenant's message
   * goes in the next one. Shares a page cannot fill go to the others in another round.
   */
  async claim(selection: { limit: number } | { ids: string[] }): Promise<ClaimedDelivery[]> {
    if ('ids' in selection) return this.claimByIds(selection.ids);
    const claimed: ClaimedDelivery[] = [];
    const exhausted: PageQueue[] = [];
    for (let round = 0; round < CLAIM_ROUNDS && claimed.length < selection.limit; round++) {
      const shares = await this.claimShares(
        selection.limit - claimed.length,
        claimed.map((delivery) => delivery.id),
        exhausted,
      );
      for (const share of shares) {
        claimed.push(...share.deliveries);
        if (share.deliveries.length < share.share) exhausted.push(share.queue);
      }
      if (shares.every((share) => share.deliveries.length < share.share)) break;
    }
    return claimed.sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
    );
  }

  /**
   * One round of `claim`: the (tenant, page) queues with due deliveries, found by skipping
   * through the pending index (one probe per queue, however long the backlog), minus those
   * that came up short before; `limit` split evenly between their tenants, then between each
   * tenant's pages (the remainders to the oldest heads); each queue's share locked from its
   * oldest delivery. A queue whose deliveries another worker holds comes up short.
   */
  private async claimShares(
    limit: number,
    claimedIds: string[],
    exhausted: PageQueue[],
  ): Promise<{ queue: PageQueue; share: number; deliveries: ClaimedDelivery[] }[]> {
    const due = `status = 'pending' and raw_body is not null
      and (process_after is null or process_after <= now())`;
    const rows = await this.sql.acrossTenants<ShareRow>(
      `with recursive queues (tenant_id, page_id, created_at, id) as (
         (select tenant_id, coalesce(page_ids[1], ''), created_at, id from webhook_event
          where ${due}
          order by tenant_id, coalesce(page_ids[1], ''), created_at, id limit 1)
         union all
         select next.* from queues q cross join lateral (
           select tenant_id, coalesce(page_ids[1], ''), created_at, id from webhook_event
           where ${due} and (tenant_id, coalesce(page_ids[1], '')) > (q.tenant_id, q.page_id)
           order by tenant_id, coalesce(page_ids[1], ''), created_at, id limit 1
         ) next
       ),
       open_queues as (
         select q.* from queues q
         where not exists (
           select 1 from jsonb_to_recordset(?::jsonb) as x(tenant_id uuid, page_id text)
           where x.tenant_id = q.tenant_id and x.page_id = q.page_id)
       ),
       tenants as (
         select tenant_id, count(*)::int as pages,
           row_number() over (order by min(created_at), min(id::text)) as position,
           count(*) over () as tenant_count
         from open_queues group by tenant_id
       ),
       tenant_shares as (
         select tenant_id, pages,
           (?::int / tenant_count + case when position <= ?::int % tenant_count then 1 else 0 end)::int
             as share
         from tenants
       ),
       queue_shares as (
         select q.tenant_id, q.page_id, q.created_at as head_created_at, q.id as head_id,
           (t.share / t.pages + case when row_number() over (
             partition by q.tenant_id order by q.created_at, q.id) <= t.share % t.pages
             then 1 else 0 end)::int as share
         from open_queues q join tenant_shares t using (tenant_id)
       )
       select s.tenant_id as queue_tenant_id, s.page_id as queue_page_id, s.share,
         d.id, d.tenant_id, d.raw_body, d.page_ids, d.attempts, d.created_at
       from queue_shares s left join lateral (
         select id, tenant_id, raw_body, page_ids, attempts, created_at from webhook_event
         where tenant_id = s.tenant_id and coalesce(page_ids[1], '') = s.page_id and ${due}
           -- from the head the probe found: the entries before it (rows processed since the
           -- last vacuum, retries not due) are walked once per claim, not twice
           and (created_at, id) >= (s.head_created_at, s.head_id)
           and not (id = any(?::uuid[]))
         order by created_at, id limit s.share
         for update skip locked
       ) d on true
       where s.share > 0`,
      [
        pgRecords(exhausted.map((queue) => ({ tenant_id: queue.tenantId, page_id: queue.pageId }))),
        limit,
        limit,
        pgArray(claimedIds),
      ],
    );
    const shares = new Map<
      string,
      { queue: PageQueue; share: number; deliveries: ClaimedDelivery[] }
    >();
    for (const row of rows) {
      const key = `${row.queue_tenant_id} ${row.queue_page_id}`;
      let share = shares.get(key);
      if (!share) {
        share = {
          queue: { tenantId: row.queue_tenant_id, pageId: row.queue_page_id },
          share: row.share,
          deliveries: [],
        };
        shares.set(key, share);
      }
      if (row.id !== null) share.deliveries.push(toClaimedDelivery(row));
    }
    return [...shares.values()];
  }

  private async claimByIds(ids: string[]): Promise<ClaimedDelivery[]> {
    const rows = await this.sql.acrossTenants<ClaimedDeliveryRow>(
      `select id, tenant_id, raw_body, page_ids, attempts, created_at from webhook_event
       where status = 'pending' and raw_body is not null
         and (process_after is null or process_after <= now())
         and id = any(?::uuid[])
       order by created_at limit ? for update skip locked`,
      [pgArray(ids), ids.length],
    );
    return rows.map(toClaimedDelivery);
  }

  async pages(keys: { tenantId: string; pageId: string }[]): Promise<PageRow[]> {
    if (keys.length === 0) return [];
    const rows = await this.sql.acrossTenants<{
      id: string;
      tenant_id: string;
      page_id: string;
      department_id: string | null;
      last_event_at: Timestamp | null;
      department_menu_ids: string[];
      handover_enabled: boolean;
      app_id: string | null;
    }>(
      `select p.id, p.tenant_id, p.page_id, p.department_id, p.last_event_at,
         p.handover_enabled, p.app_id,
         case when p.department_menu_enabled and p.active then array(
           select o.department_id from department_menu_option o
           join department d on d.id = o.department_id and d.tenant_id = p.tenant_id
           where o.page_id = p.id order by o.position)::text[]
         else '{}'::text[] end as department_menu_ids
       from facebook_page p
       join jsonb_to_recordset(?::jsonb) as r(tenant_id uuid, page_id text)
         on p.tenant_id = r.tenant_id and p.page_id = r.page_id`,
      [pgRecords(keys.map((key) => ({ tenant_id: key.tenantId, page_id: key.pageId })))],
    );
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      pageId: row.page_id,
      departmentId: row.department_id,
      lastEventAt: toDateOrNull(row.last_event_at),
      departmentMenuIds: row.department_menu_ids,
      handoverEnabled: row.handover_enabled,
      appId: row.app_id,
    }));
  }

  /**
   * Creates the contacts not seen before, then locks every contact of the batch, always in
   * (page, psid) order so that two workers with overlapping batches cannot deadlock. The
   * unique (page, psid) decides who creates a contact; the lock serialises a visitor's events.
   */
  async lockContacts(
    contacts: { id: string; tenantId: string; pageRowId: string; psid: string }[],
  ): Promise<LockedContact[]> {
    if (contacts.length === 0) return [];
    await this.sql.acrossTenants(
      `insert into contact (id, tenant_id, page_id, psid)
       select r.id, r.tenant_id, r.page_id, r.psid
       from jsonb_to_recordset(?::jsonb) as r(id uuid, tenant_id uuid, page_id uuid, psid text)
       order by r.page_id, r.psid
       on conflict (page_id, psid) do nothing`,
      [
        pgRecords(
          contacts.map((contact) => ({
            id: contact.id,
            tenant_id: contact.tenantId,
            page_id: contact.pageRowId,
            psid: contact.psid,
          })),
        ),
      ],
    );
    const rows = await this.sql.acrossTenants<{
      id: string;
      page_id: string;
      psid: string;
      last_inbound_at: Timestamp | null;
      profile_fetched_at: Timestamp | null;
      profile_requested_at: Timestamp | null;
    }>(
      `select c.id, c.page_id, c.psid, c.last_inbound_at, c.profile_fetched_at,
         c.profile_requested_at
       from contact c
       join jsonb_to_recordset(?::jsonb) as r(page_id uuid, psid text)
         on c.page_id = r.page_id and c.psid = r.psid
       order by c.page_id, c.psid
       for update of c`,
      [pgRecords(contacts.map((contact) => ({ page_id: contact.pageRowId, psid: contact.psid })))],
    );
    return rows.map((row) => ({
      id: row.id,
      pageRowId: row.page_id,
      psid: row.psid,
      lastInboundAt: toDateOrNull(row.last_inbound_at),
      profileFetchedAt: toDateOrNull(row.profile_fetched_at),
      profileRequestedAt: toDateOrNull(row.profile_requested_at),
    }));
  }

  /** Moves contacts' reply windows forward (never back: a late delivery cannot extend one). */
  async openReplyWindows(windows: { contactId: string; lastInboundAt: Date }[]): Promise<void> {
    if (windows.length === 0) return;
    await this.sql.acrossTenants(
      `update contact c set last_inbound_at = r.last_inbound_at, updated_at = now()
       from jsonb_to_recordset(?::jsonb) as r(id uuid, last_inbound_at timestamptz)
       where c.id = r.id and (c.last_inbound_at is null or c.last_inbound_at < r.last_inbound_at)`,
      [
        pgRecords(
          windows.map((window) => ({
            id: window.contactId,
            last_inbound_at: window.lastInboundAt,
          })),
        ),
      ],
    );
  }

  async markProfilesRequested(contactIds: string[], at: Date): Promise<void> {
    if (contactIds.length === 0) return;
    await this.sql.acrossTenants(
      'update contact set profile_requested_at = ? where id = any(?::uuid[])',
      [at, pgArray(contactIds)],
    );
  }

  /** Which of these (page, dedup key) pairs are stored messages already. */
  async knownDedupKeys(keys: KeyOnPage[]): Promise<Set<string>> {
    return this.existing('dedup_key', keys);
  }

  /** Which of these (page, mid) pairs are stored messages. */
  async knownMids(keys: KeyOnPage[]): Promise<Set<string>> {
    return this.existing('mid', keys);
  }

  /**
   * Omni's own outbound messages that these echoes may confirm: by Omni's message id (the
   * echo's metadata) or by Facebook's mid.
   */
  async outboundFor(
    ids: string[],
    mids: KeyOnPage[],
  ): Promise<{ id: string; pageRowId: string; mid: string | null; conversationId: string }[]> {
    if (ids.length === 0 && mids.length === 0) return [];
    const rows = await this.sql.acrossTenants<{
      id: string;
      page_id: string;
      mid: string | null;
      conversation_id: string;
    }>(
      `select m.id, m.page_id, m.mid, m.conversation_id from message m
       where m.direction = 'out' and m.id = any(?::uuid[])
       union
       select m.id, m.page_id, m.mid, m.conversation_id from message m
       join jsonb_to_recordset(?::jsonb) as r(page_id uuid, key text)
         on m.page_id = r.page_id and m.mid = r.key
       where m.direction = 'out'`,
      [pgArray(ids), pgRecords(mids.map(toKeyRecord))],
    );
    return rows.map((row) => ({
      id: row.id,
      pageRowId: row.page_id,
      mid: row.mid,
      conversationId: row.conversation_id,
    }));
  }

  /** The echo came: the message was sent, and now has Facebook's mid. */
  async confirmSent(echoed: { id: string; mid: string }[]): Promise<void> {
    if (echoed.length === 0) return;
    await this.sql.acrossTenants(
      `update message m set mid = r.mid, updated_at = now(),
         status = case when m.status in ('pending', 'failed') then 'sent' else m.status end
       from jsonb_to_recordset(?::jsonb) as r(id uuid, mid text)
       where m.id = r.id`,
      [pgRecords(echoed)],
    );
  }

  async insertMessages(messages: NewMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.sql.acrossTenants(
      `insert into message (id, tenant_id, conversation_id, page_id, direction, source, kind,
         text, attachments, mid, dedup_key, occurred_at, status, details)
       select r.id, r.tenant_id, r.conversation_id, r.page_id, r.direction, r.source, r.kind,
         r.text, r.attachments, r.mid, r.dedup_key, r.occurred_at, r.status, r.details
       from jsonb_to_recordset(?::jsonb) as r(id uuid, tenant_id uuid, conversation_id uuid,
         page_id uuid, direction text, source text, kind text, text text, attachments jsonb,
         mid text, dedup_key text, occurred_at timestamptz, status text, details jsonb)`,
      [
        pgRecords(
          messages.map((message) => ({
            id: message.id,
            tenant_id: message.tenantId,
            conversation_id: message.conversationId,
            page_id: message.pageRowId,
            direction: message.direction,
            source: message.source,
            kind: message.kind,
            text: message.text,
            attachments: message.attachments,
            mid: message.mid,
            dedup_key: message.dedupKey,
            occurred_at: message.occurredAt,
            status: message.status,
            details: message.details,
          })),
        ),
      ],
    );
  }

  /** Applies the newest edit of each message; an older edit arriving late changes nothing. */
  async applyEdits(
    edits: { pageRowId: string; mid: string; text: string; editedAt: Date; editCount: number }[],
  ): Promise<ChangedMessage[]> {
    if (edits.length === 0) return [];
    return this.changed(
      await this.sql.acrossTenants(
        `update message m set text = r.text, edited_at = r.edited_at, updated_at = now(),
           details = m.details || jsonb_build_object('editCount', r.edit_count)
         from jsonb_to_recordset(?::jsonb) as r(page_id uuid, mid text, text text,
           edited_at timestamptz, edit_count int)
         where m.page_id = r.page_id and m.mid = r.mid
           and coalesce((m.details ->> 'editCount')::int, 0) < r.edit_count
         returning m.id, m.tenant_id, m.conversation_id`,
        [
          pgRecords(
            edits.map((edit) => ({
              page_id: edit.pageRowId,
              mid: edit.mid,
              text: edit.text,
              edited_at: edit.editedAt,
              edit_count: edit.editCount,
            })),
          ),
        ],
      ),
    );
  }

  /**
   * Delivery and read receipts move the page's messages to the visitor forward, never back:
   * everything up to the watermark, and the mids a delivery names.
   */
  async advanceOutbound(to: 'delivered' | 'read', receipts: Receipt[]): Promise<ChangedMessage[]> {
    if (receipts.length === 0) return [];
    const from = to === 'delivered' ? ['sent'] : ['sent', 'delivered'];
    return this.changed(
      await this.sql.acrossTenants(
        `update message m set status = ?, updated_at = now()
         from jsonb_to_recordset(?::jsonb) as r(page_id uuid, contact_id uuid,
           watermark timestamptz, mids jsonb), conversation c
         where c.contact_id = r.contact_id and m.conversation_id = c.id
           and m.page_id = r.page_id and m.direction = 'out' and m.status = any(?::text[])
           and (m.occurred_at <= r.watermark or r.mids @> jsonb_build_array(m.mid))
         returning m.id, m.tenant_id, m.conversation_id`,
        [
          to,
          pgRecords(
            receipts.map((receipt) => ({
              page_id: receipt.pageRowId,
              contact_id: receipt.contactId,
              watermark: receipt.watermark,
              mids: receipt.mids,
            })),
          ),
          pgArray(from),
        ],
      ),
    );
  }

  async recordPagesLastEvent(pages: { id: string; lastEventAt: Date }[]): Promise<void> {
    if (pages.length === 0) return;
    await this.sql.acrossTenants(
      `update facebook_page p set last_event_at = r.last_event_at
       from jsonb_to_recordset(?::jsonb) as r(id uuid, last_event_at timestamptz)
       where p.id = r.id`,
      [pgRecords(pages.map((page) => ({ id: page.id, last_event_at: page.lastEventAt })))],
    );
  }

  /**
   * Diagnoses are bounded, also across replays of one delivery (they add to what is kept).
   * A delivery of pages deleted meanwhile keeps neither its body nor its diagnoses.
   */
  async markProcessed(
    deliveries: {
      id: string;
      diagnostics: Diagnostic[];
      /** The messages it became: added to those of earlier runs (a replay adds none). */
      messageIds: string[];
      isOfDeletedPages: boolean;
    }[],
  ): Promise<void> {
    if (deliveries.length === 0) return;
    await this.sql.acrossTenants(
      `update webhook_event e set status = 'processed', processed_at = clock_timestamp(),
         attempts = e.attempts + 1,
         diagnostics = case when r.is_of_deleted_pages then '[]'::jsonb
           else jsonb_path_query_array(e.diagnostics || r.diagnostics,
             '$[0 to ${DIAGNOSTICS_PER_DELIVERY - 1}]') end,
         raw_body = case when r.is_of_deleted_pages then null else e.raw_body end,
         message_ids = e.message_ids || r.message_ids,
         process_after = null, updated_at = now()
       from jsonb_to_recordset(?::jsonb) as r(id uuid, diagnostics jsonb,
         message_ids uuid[], is_of_deleted_pages boolean)
       where e.id = r.id`,
      [
        pgRecords(
          deliveries.map((delivery) => ({
            id: delivery.id,
            diagnostics: boundDiagnostics(delivery.diagnostics),
            message_ids: delivery.messageIds,
            is_of_deleted_pages: delivery.isOfDeletedPages,
          })),
        ),
      ],
    );
  }

  /**
   * Counts an attempt that could not complete and sets when to try again; after
   * `maxAttempts` the delivery is failed (kept for diagnosis) instead of retried forever.
   */
  async postpone(
    deliveries: { id: string; reason: string; delayMs: number }[],
    maxAttempts: number,
  ): Promise<void> {
    if (deliveries.length === 0) return;
    await this.sql.acrossTenants(
      `update webhook_event e set attempts = e.attempts + 1, last_error = r.reason,
         process_after = now() + r.delay_ms * interval '1 millisecond', updated_at = now(),
         status = case when e.attempts + 1 >= ? then 'failed' else e.status end
       from jsonb_to_recordset(?::jsonb) as r(id uuid, reason text, delay_ms int)
       where e.id = r.id and e.status = 'pending'`,
      [
        maxAttempts,
        pgRecords(
          deliveries.map((delivery) => ({
            id: delivery.id,
            reason: boundReason(delivery.reason),
            delay_ms: delivery.delayMs,
          })),
        ),
      ],
    );
  }

  /**
   * The last resort when `postpone` itself failed: counts the attempt and moves the delivery
   * out of the way with nothing taken from its content (plain parameters, a fixed reason),
   * so a failure that cannot be recorded still never keeps a delivery first in line.
   */
  async postponeWithoutReason(id: string, delayMs: number, maxAttempts: number): Promise<void> {
    await this.sql.acrossTenants(
      `update webhook_event set attempts = attempts + 1,
         last_error = 'The failure could not be recorded; see the worker log.',
         process_after = now() + ? * interval '1 millisecond', updated_at = now(),
         status = case when attempts + 1 >= ? then 'failed' else status end
       where id = ? and status = 'pending'`,
      [delayMs, maxAttempts, id],
    );
  }

  /** How many deliveries are due (the sweep wakes the drainers when any is). */
  async countDue(): Promise<number> {
    const [row] = await this.sql.acrossTenants<{ due: number }>(
      `select count(*)::int as due from webhook_event
       where status = 'pending' and (process_after is null or process_after <= now())`,
    );
    return row?.due ?? 0;
  }

  /**
   * Deletes at most `limit` finished deliveries (processed, ignored, failed) received before
   * `receivedBefore`; how many went. Rows a worker is handling are left for the next sweep.
   */
  async deleteFinished(receivedBefore: Date, limit: number): Promise<number> {
    const rows = await this.sql.acrossTenants<{ id: string }>(
      `delete from webhook_event where id in (
         select id from webhook_event
         where status <> 'pending' and created_at < ?
         limit ? for update skip locked)
       returning id`,
      [receivedBefore, limit],
    );
    return rows.length;
  }

  private async existing(column: 'dedup_key' | 'mid', keys: KeyOnPage[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.sql.acrossTenants<{ page_id: string; key: string }>(
      `select distinct m.page_id, m.${column} as key from message m
       join jsonb_to_recordset(?::jsonb) as r(page_id uuid, key text)
         on m.page_id = r.page_id and m.${column} = r.key`,
      [pgRecords(keys.map(toKeyRecord))],
    );
    return new Set(rows.map((row) => keyOnPage(row.page_id, row.key)));
  }

  private changed(rows: Record<string, unknown>[]): ChangedMessage[] {
    return rows.map((row) => ({
      id: row['id'] as string,
      tenantId: row['tenant_id'] as string,
      conversationId: row['conversation_id'] as string,
    }));
  }
}

/** One string for a (page row, key) pair, for sets and maps. */
export function keyOnPage(pageRowId: string, key: string): string {
  return `${pageRowId} ${key}`;
}

function toKeyRecord(key: KeyOnPage): { page_id: string; key: string } {
  return { page_id: key.pageRowId, key: key.key };
}

function toClaimedDelivery(row: ClaimedDeliveryRow): ClaimedDelivery {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    // The bytes as signed; invalid UTF-8 reads as U+FFFD, and the parser copes with any text.
    rawBody: row.raw_body.toString('utf8'),
    pageIds: row.page_ids,
    attempts: row.attempts,
    createdAt: toDate(row.created_at),
  };
}

function toDate(value: Timestamp): Date {
  return new Date(value);
}

function toDateOrNull(value: Timestamp | null): Date | null {
  return value === null ? null : new Date(value);
}
