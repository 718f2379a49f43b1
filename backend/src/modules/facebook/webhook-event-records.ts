import { pgRecords, type Sql } from '../../db/sql.js';
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
