import { pgArray, pgRecords, type Sql } from '../../db/sql.js';
import type { WebhookDiagnostic } from './webhook-event.entity.js';

type SharedDelivery = {
  id: string;
  raw_body: Buffer | null;
  page_ids: string[];
  diagnostics: WebhookDiagnostic[];
};

/**
 * Removes what Omni kept of a page's webhook deliveries, in the transaction that deletes the
 * page. A delivery of that page alone is deleted. Facebook may batch entries of several pages
 * of one app into a delivery: such a delivery keeps only the other pages' entries, ids and
 * diagnoses, so their processing and history are untouched. Its stored body is then no
 * longer the exact signed text; it was verified when it arrived and is never verified again.
 * `pageId` is Facebook's id; deliveries are the tenant's only.
 */
export async function deleteWebhookEventsOfPage(
  sql: Sql,
  tenantId: string,
  pageId: string,
): Promise<void> {
  const tenantSql = sql.forTenant(tenantId);
  await tenantSql(
    `delete from webhook_event
     where tenant_id = :tenant and ? = any(page_ids) and page_ids <@ array[?]::text[]`,
    [pageId, pageId],
  );
  const shared = await tenantSql<SharedDelivery>(
    `select id, raw_body, page_ids, diagnostics from webhook_event
     where tenant_id = :tenant and ? = any(page_ids) for update`,
    [pageId],
  );
  if (shared.length === 0) return;
  await tenantSql(
    `update webhook_event e set raw_body = decode(r.raw_body, 'hex'), page_ids = r.page_ids,
       diagnostics = r.diagnostics, updated_at = now()
     from jsonb_to_recordset(?::jsonb) as r(id uuid, raw_body text, page_ids text[],
       diagnostics jsonb)
     where e.id = r.id and e.tenant_id = :tenant`,
    [
      pgRecords(
        shared.map((delivery) => ({
          id: delivery.id,
          // Hex: the rewritten JSON goes back as bytes, whatever characters it holds.
          raw_body: keptBodyAsHex(delivery.raw_body, pageId),
          page_ids: delivery.page_ids.filter((id) => id !== pageId),
          diagnostics: delivery.diagnostics.filter((diagnostic) => diagnostic.pageId !== pageId),
        })),
      ),
    ],
  );
}

function keptBodyAsHex(rawBody: Buffer | null, deletedPageId: string): string | null {
  const kept = rawBody && keepEntriesOf(rawBody.toString('utf8'), (id) => id !== deletedPageId);
  return kept === null ? null : Buffer.from(kept).toString('hex');
}

/**
 * The delivery's JSON with only the entries whose page `isKept` (null if it is not a
 * delivery: nothing of it can be told apart, so nothing is kept).
 */
export function keepEntriesOf(rawBody: string, isKept: (pageId: string) => boolean): string | null {
  try {
    const delivery = JSON.parse(rawBody) as { entry?: { id?: unknown }[] };
    if (!Array.isArray(delivery.entry)) return null;
    delivery.entry = delivery.entry.filter((entry) => isKept(String(entry?.id)));
    return JSON.stringify(delivery);
  } catch {
    return null;
  }
}

type VisitorDelivery = SharedDelivery & { message_ids: string[]; last_error: string | null };

/** What replaces a failed attempt's error on a delivery a visitor was erased from. */
export const ERASED_DELIVERY_ERROR = "The error was removed with a visitor's data.";

/**
 * Removes an erased visitor from what Omni kept of a page's webhook deliveries, in the
 * erasure's transaction: their events leave each kept body (the entries of other visitors
 * and pages stay, as a page deletion keeps them), their diagnoses and message ids leave the
 * row, and a failed attempt's error (which may quote a value) is replaced. A delivery left
 * with no event is deleted. Pending deliveries are left to the worker, whose lock this does
 * not wait for: what they hold arrived after the erasure began and makes a new visitor.
 * `pageId` is Facebook's id of the page, `psid` the visitor's id on it.
 */
export async function eraseVisitorFromWebhookEvents(
  sql: Sql,
  tenantId: string,
  visitor: { pageId: string; psid: string; messageIds: string[] },
): Promise<void> {
  const tenantSql = sql.forTenant(tenantId);
  const rows = await tenantSql<VisitorDelivery>(
    `select id, raw_body, page_ids, diagnostics, message_ids, last_error from webhook_event
     where tenant_id = :tenant and ? = any(page_ids) and status <> 'pending'
       and (position(convert_to(?, 'UTF8') in raw_body) > 0
         or message_ids && ?::uuid[]
         or diagnostics @> jsonb_build_array(jsonb_build_object('psid', ?::text)))
     order by id
     for update`,
    [visitor.pageId, visitor.psid, pgArray(visitor.messageIds), visitor.psid],
  );
  if (rows.length === 0) return;
  const erasedMessages = new Set(visitor.messageIds);
  const kept = rows.map((row) => {
    const body = row.raw_body && withoutVisitor(row.raw_body.toString('utf8'), visitor);
    return {
      id: row.id,
      // Hex: the rewritten JSON goes back as bytes, whatever characters it holds.
      raw_body: body?.json ? Buffer.from(body.json).toString('hex') : null,
      hasEvents: body?.hasEvents ?? false,
      diagnostics: row.diagnostics.filter((diagnostic) => diagnostic.psid !== visitor.psid),
      message_ids: row.message_ids.filter((id) => !erasedMessages.has(id)),
      last_error: row.last_error === null ? null : ERASED_DELIVERY_ERROR,
    };
  });
  const empty = kept.filter((row) => !row.hasEvents && row.diagnostics.length === 0);
  if (empty.length > 0) {
    await tenantSql(`delete from webhook_event where tenant_id = :tenant and id = any(?::uuid[])`, [
      pgArray(empty.map((row) => row.id)),
    ]);
  }
  const rewritten = kept.filter((row) => !empty.includes(row));
  if (rewritten.length === 0) return;
  await tenantSql(
    `update webhook_event e set raw_body = decode(r.raw_body, 'hex'), diagnostics = r.diagnostics,
       message_ids = r.message_ids, last_error = r.last_error, updated_at = now()
     from jsonb_to_recordset(?::jsonb) as r(id uuid, raw_body text, diagnostics jsonb,
       message_ids uuid[], last_error text)
     where e.id = r.id and e.tenant_id = :tenant`,
    [
      pgRecords(
        rewritten.map(({ hasEvents: _hasEvents, ...row }) => ({
          ...row,
          message_ids: pgArray(row.message_ids),
        })),
      ),
    ],
  );
}

type MessagingItem = { sender?: { id?: unknown }; recipient?: { id?: unknown } };
type DeliveryEntry = { id?: unknown; messaging?: MessagingItem[]; standby?: MessagingItem[] };

/**
 * The delivery's JSON without the visitor's events on that page (sent by them, or to them:
 * echoes), and whether any event is left; null when it is not a delivery (nothing of it can
 * be told apart, so nothing is kept).
 */
export function withoutVisitor(
  rawBody: string,
  visitor: { pageId: string; psid: string },
): { json: string; hasEvents: boolean } | null {
  try {
    const delivery = JSON.parse(rawBody) as { entry?: DeliveryEntry[] };
    if (!Array.isArray(delivery.entry)) return null;
    const isVisitors = (item: MessagingItem) =>
      String(item?.sender?.id) === visitor.psid || String(item?.recipient?.id) === visitor.psid;
    let hasEvents = false;
    for (const entry of delivery.entry) {
      for (const channel of ['messaging', 'standby'] as const) {
        const items = entry?.[channel];
        if (!Array.isArray(items)) continue;
        if (String(entry.id) === visitor.pageId)
          entry[channel] = items.filter((item) => !isVisitors(item));
        hasEvents ||= entry[channel]!.length > 0;
      }
    }
    return { json: JSON.stringify(delivery), hasEvents };
  } catch {
    return null;
  }
}
